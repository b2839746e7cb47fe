/**
 * The in-process implementation of the engine API: parses configs and runs clients and servers on engine threads, with
 * kernel or in-memory devices, and the built-in demo network on in-memory devices. Profiles live in
 * {@code engine.profiles}, server administration in {@code engine.serveradmin}.
 */
package io.culvert.engine.local;
