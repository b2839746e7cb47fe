/**
 * Reusable test doubles, shared with the app's tests through the engine's test-jar: a manual clock, one certificate
 * factory, one throwaway test PKI ({@link io.culvert.engine.testkit.PkiMaterial}; in memory as
 * {@link io.culvert.engine.testkit.MemoryPki}, on disk as {@link io.culvert.engine.testkit.TestPki} for the interop
 * tests and the app's loopback server), lossy packet pipes, a scripted OpenVPN server, the one two-peer session rig
 * (our client against that scripted server or against our own server session) and free loopback ports.
 */
package io.culvert.engine.testkit;
