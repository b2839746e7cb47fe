/** Server-side tunnel address pools (IPv4 net30/subnet/p2p plus IPv6) and their ifconfig-pool-persist file. */
package io.culvert.engine.server.pool;
