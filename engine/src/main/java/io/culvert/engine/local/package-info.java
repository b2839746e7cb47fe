/** The in-process implementation of the engine API: parses configs and runs clients and servers on engine threads. */
package io.culvert.engine.local;
