/** The engine's public face: events, states, statistics and handles that the app, the CLI and a service consume. */
package io.culvert.engine.api;
