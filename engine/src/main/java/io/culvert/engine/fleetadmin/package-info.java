/**
 * The admin's side of a fleet (ADR 0048, 0054): opening a fleet's PostgreSQL with a login kept in the keyring or a
 * 0600 file, the servers with their health, issuing with the fleet CA whose key stays on this machine, revoking for the
 * whole fleet, and a client profile listing every server.
 */
package io.culvert.engine.fleetadmin;
