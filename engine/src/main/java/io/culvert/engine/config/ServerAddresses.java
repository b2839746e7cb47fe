package io.culvert.engine.config;

import io.culvert.engine.config.ServerConfig.Addressing;
import io.culvert.engine.config.ServerConfig.Ipv4Pool;
import io.culvert.engine.config.ServerConfig.Ipv6Pool;
import io.culvert.engine.config.ServerConfig.PoolPersist;
import io.culvert.engine.config.ServerConfig.Topology;

/**
 * The server's tunnel addresses and the pools it hands out, as the {@code server}, {@code server-ipv6} and
 * {@code server-bridge} helpers expand them or as {@code ifconfig}/{@code ifconfig-pool} give them.
 * Null fields are absent. Instances are immutable.
 *
 * @param topology {@code topology}
 * @param addressing which helper configured the addresses
 * @param ifconfigLocal the server's IPv4 tunnel address
 * @param ifconfigRemoteNetmask the peer address (net30, p2p) or the netmask (subnet, tap)
 * @param ifconfigIpv6Local the server's IPv6 tunnel address
 * @param ifconfigIpv6Bits its prefix length
 * @param ifconfigIpv6Remote the IPv6 peer address
 * @param ipv4Pool the IPv4 client pool
 * @param ipv6Pool the IPv6 client pool
 * @param poolPersist {@code ifconfig-pool-persist}
 */
public record ServerAddresses(Topology topology, Addressing addressing,
                              String ifconfigLocal, String ifconfigRemoteNetmask,
                              String ifconfigIpv6Local, int ifconfigIpv6Bits, String ifconfigIpv6Remote,
                              Ipv4Pool ipv4Pool, Ipv6Pool ipv6Pool, PoolPersist poolPersist) {
}
