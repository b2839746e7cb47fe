/**
 * Reusable test doubles, shared with the app's tests through the engine's test-jar: a manual clock, one certificate
 * factory, one throwaway test PKI ({@link io.culvert.engine.testkit.PkiMaterial}; in memory as
 * {@link io.culvert.engine.testkit.MemoryPki}, on disk as {@link io.culvert.engine.testkit.TestPki} for the interop
 * tests and the app's loopback server), lossy packet pipes, the loop of a two-peer session test, a scripted OpenVPN
 * server and free loopback ports.
 */
package io.culvert.engine.testkit;
