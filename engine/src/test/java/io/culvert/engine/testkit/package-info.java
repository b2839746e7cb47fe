/**
 * Reusable test doubles, shared with the app's tests through the engine's test-jar: a manual clock, one certificate
 * factory, a throwaway in-memory PKI, lossy packet pipes, a scripted OpenVPN server, the one two-peer session rig (our
 * client against that scripted server or against our own server session) and free loopback ports. (The on-disk PKI of
 * the interop tests, which the app's loopback server also uses, is {@code io.culvert.engine.it.TestPki}.)
 */
package io.culvert.engine.testkit;
