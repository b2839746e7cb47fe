/**
 * A server's part in a fleet (ADR 0055): it registers in the fleet's PostgreSQL, claims its address pools, reports its
 * live state, enforces the fleet's revocations and pushes each client's fleet routes, and keeps serving from its last
 * revocation list while the database is away. Wires {@code server} to {@code store}; neither knows the other.
 */
package io.culvert.engine.fleet;
