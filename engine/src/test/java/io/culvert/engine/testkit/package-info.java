/**
 * Reusable test doubles, shared with the app's tests through the engine's test-jar: a manual clock, one certificate
 * factory, a throwaway in-memory PKI, lossy packet pipes, the loop of a two-peer session test, a scripted OpenVPN
 * server and free loopback ports. (The on-disk PKI of the interop tests, which the app's loopback server also uses, is
 * {@code io.culvert.engine.it.TestPki}.)
 */
package io.culvert.engine.testkit;
