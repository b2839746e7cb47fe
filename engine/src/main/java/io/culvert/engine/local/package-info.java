/**
 * The in-process implementation of the engine API: parses configs and runs clients and servers on engine threads,
 * and administers managed servers (store, PKI, ccd) for the server manager.
 */
package io.culvert.engine.local;
