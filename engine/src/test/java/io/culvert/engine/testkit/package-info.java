/** Reusable in-memory test doubles for protocol code: a manual clock, a throwaway PKI, lossy packet pipes and a scripted OpenVPN server. */
package io.culvert.engine.testkit;
