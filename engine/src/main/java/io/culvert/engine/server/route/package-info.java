/**
 * The server's sans-I/O forwarding logic: virtual-address and iroute lookup, the TAP learning switch, the per-packet
 * routing decision, and the flow counters the topology view is drawn from.
 */
package io.culvert.engine.server.route;
