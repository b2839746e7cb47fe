package io.culvert.engine.config;

import io.culvert.engine.net.Addresses;
import static io.culvert.engine.config.IpText.ipv4;
import static io.culvert.engine.net.Addresses.ipv4Text;

import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.IpText.Prefix6;
import io.culvert.engine.config.ServerConfig.Addressing;
import io.culvert.engine.config.ServerConfig.Ipv4Pool;
import io.culvert.engine.config.ServerConfig.Ipv6Pool;
import io.culvert.engine.config.ServerConfig.PoolPersist;
import io.culvert.engine.config.ServerConfig.Topology;
import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.math.BigInteger;

/**
 * Expands {@code server}, {@code server-ipv6} and {@code server-bridge} into tunnel addresses, pools,
 * routes and pushes the way OpenVPN 2.6's {@code helper_client_server} does (checked against the 2.6.14
 * binary's option dump), or reads the explicit {@code ifconfig}/{@code ifconfig-pool} form. One instance
 * per read; not thread-safe.
 */
final class ServerAddressing {
    private final ServerConfigReader r;
    private final ServerConfigBuilder b;

    ServerAddressing(ServerConfigReader r) {
        this.r = r;
        this.b = r.b;
    }

    void expand() throws OvpnParseException {
        if (r.server == null && r.serverBridge == null && r.mode == null) {
            throw ServerConfigReader.missing("server",
                    "not a server config: no 'server', 'server-bridge' or 'mode server'");
        }
        if (r.server != null && r.serverBridge != null) {
            Directive later = r.server.line() > r.serverBridge.line() ? r.server : r.serverBridge;
            throw new OvpnParseException(later.line(), later.name(), Reason.CONFLICT,
                    "server and server-bridge cannot be used together");
        }
        if (r.server == null && r.serverBridge == null && r.tlsServer == null) {
            throw new OvpnParseException(r.mode.line(), "tls-server", Reason.MISSING_REQUIRED,
                    "'mode server' needs 'tls-server'");
        }
        explicitIfconfig();
        ipv6();
        if (r.server != null) {
            server(r.server);
        } else if (r.serverBridge != null) {
            bridge(r.serverBridge);
        } else {
            b.addressing = Addressing.EXPLICIT;
            explicitPool();
        }
        persist();
    }

    private void explicitIfconfig() throws OvpnParseException {
        if (r.ifconfig != null) {
            b.ifconfigLocal = ipv4Text(ipv4(r.ifconfig, 0));
            b.ifconfigRemoteNetmask = ipv4Text(ipv4(r.ifconfig, 1));
        }
        if (r.ifconfigIpv6 != null) {
            Prefix6 p = IpText.prefix6(r.ifconfigIpv6, 0, 0, 128, 128);
            b.ifconfigIpv6Local = Addresses.ipv6Text(p.address());
            b.ifconfigIpv6Bits = p.bits();
            b.ifconfigIpv6Remote = Addresses.ipv6Text(IpText.prefix6(r.ifconfigIpv6, 1, 128, 128, 128).address());
        }
    }

    private void ipv6() throws OvpnParseException {
        Directive d = r.serverIpv6;
        if (d == null) {
            if (r.ifconfigIpv6Pool != null) {
                if (r.ifconfigIpv6 == null) {
                    throw new OvpnParseException(r.ifconfigIpv6Pool.line(), r.ifconfigIpv6Pool.name(),
                            Reason.MISSING_REQUIRED, "ifconfig-ipv6-pool needs ifconfig-ipv6");
                }
                Prefix6 p = IpText.prefix6(r.ifconfigIpv6Pool, 0, 64, 128, 64);
                b.ipv6Pool = new Ipv6Pool(Addresses.ipv6Text(p.address()), p.bits());
            }
            return;
        }
        Prefix6 p = IpText.prefix6(d, 0, 64, 124, -1);
        if (r.server != null && "nopool".equals(r.server.arg(2))) {
            throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT, "server-ipv6 is incompatible with 'nopool'");
        }
        if (r.ifconfigIpv6Pool != null) {
            throw new OvpnParseException(r.ifconfigIpv6Pool.line(), r.ifconfigIpv6Pool.name(), Reason.CONFLICT,
                    "server-ipv6 already defines the IPv6 pool");
        }
        if (r.ifconfigIpv6 != null) {
            b.shared.warnings.add("line " + r.ifconfigIpv6.line() + ": 'ifconfig-ipv6' is replaced by server-ipv6");
        }
        BigInteger net = p.address();
        b.ifconfigIpv6Local = Addresses.ipv6Text(net.add(BigInteger.ONE));
        b.ifconfigIpv6Bits = p.bits();
        b.ifconfigIpv6Remote = Addresses.ipv6Text(net.add(BigInteger.TWO));
        b.ipv6Pool = new Ipv6Pool(Addresses.ipv6Text(net.add(BigInteger.valueOf(p.bits() < 112 ? 0x1000 : 2))), p.bits());
        b.pushes.add("tun-ipv6");
    }

    private void server(Directive d) throws OvpnParseException {
        int net = ipv4(d, 0);
        int mask = ipv4(d, 1);
        boolean nopool = d.args().size() > 2;
        if (nopool && !d.arg(2).equals("nopool")) {
            throw ArgValues.invalid(d, "'" + d.arg(2) + "' is not 'nopool'");
        }
        int bits = Addresses.maskBits(mask);
        if (bits < 0 || (net & ~mask) != 0) {
            throw ArgValues.invalid(d, "network/netmask combination is invalid");
        }
        if (bits < 16) {
            throw ArgValues.invalid(d, "netmask allows too many host addresses (must be /16 or longer)");
        }
        if (r.ifconfigPool != null && !nopool) {
            throw new OvpnParseException(r.ifconfigPool.line(), r.ifconfigPool.name(), Reason.CONFLICT,
                    "server already defines the pool; use 'server ... nopool' to give ifconfig-pool explicitly");
        }
        if (r.ifconfig != null) {
            b.shared.warnings.add("line " + r.ifconfig.line() + ": 'ifconfig' is replaced by server");
        }
        b.addressing = Addressing.SERVER;
        int broadcast = net | ~mask;
        b.ifconfigLocal = ipv4Text(net + 1);
        if (b.shared.devType == DevType.TAP || b.topology == Topology.SUBNET) {
            if (b.shared.devType == DevType.TAP ? bits > 30 : bits > 29) {
                throw ArgValues.invalid(d, "with dev " + b.shared.devName + " the subnet must be /"
                        + (b.shared.devType == DevType.TAP ? 30 : 29) + " or larger");
            }
            b.ifconfigRemoteNetmask = ipv4Text(mask);
            if (!nopool) {
                b.ipv4Pool = pool(d, net + 2, broadcast - 1, ipv4Text(mask));
            }
            b.pushes.add("route-gateway " + ipv4Text(net + 1));
        } else {
            if (bits > 29) {
                throw ArgValues.invalid(d, "with dev tun the subnet must be /29 or larger");
            }
            b.ifconfigRemoteNetmask = ipv4Text(net + 2);
            if (!nopool) {
                b.ipv4Pool = pool(d, net + 4, broadcast - (bits == 29 ? 0 : 4), null);
            }
            // helper.c's helper_add_route: the helper runs after the whole file, so its route takes the last route-table
            b.routes.add(new Route(ipv4Text(net), ipv4Text(mask), null, null, b.routeTable));
            if (b.clientToClient) {
                b.pushes.add("route " + ipv4Text(net) + " " + ipv4Text(mask));
            } else if (b.topology == Topology.NET30) {
                b.pushes.add("route " + ipv4Text(net + 1));
            }
        }
        if (nopool) {
            explicitPool();
        }
        if (b.shared.devType == DevType.TUN) {
            b.pushes.add("topology " + b.topology.name().toLowerCase(java.util.Locale.ROOT));
            if (b.topology == Topology.NET30 && !nopool) {
                b.shared.warnings.add("topology net30 with an IPv4 pool is deprecated in OpenVPN 2.6; prefer topology subnet");
            }
        }
    }

    private void bridge(Directive d) throws OvpnParseException {
        if (b.shared.devType != DevType.TAP) {
            throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT, "server-bridge needs dev tap");
        }
        if (r.ifconfigPool != null) {
            throw new OvpnParseException(r.ifconfigPool.line(), r.ifconfigPool.name(), Reason.CONFLICT,
                    "server-bridge already defines the pool");
        }
        int n = d.args().size();
        if (n == 0 || (n == 1 && d.arg(0).equals("nogw"))) {
            b.addressing = Addressing.SERVER_BRIDGE_DHCP;
            if (n == 0) {
                b.pushes.add("route-gateway dhcp");
            }
            return;
        }
        if (n != 4) {
            throw new OvpnParseException(d.line(), d.name(), Reason.WRONG_ARGUMENT_COUNT,
                    "expected no arguments, 'nogw', or IP NETMASK POOL-START POOL-END; got " + n);
        }
        int ip = ipv4(d, 0);
        int mask = ipv4(d, 1);
        int start = ipv4(d, 2);
        int end = ipv4(d, 3);
        if (Addresses.maskBits(mask) < 0) {
            throw ArgValues.invalid(d, "'" + d.arg(1) + "' is not a netmask");
        }
        sameSubnet(d, ip, start, mask);
        sameSubnet(d, start, end, mask);
        sameSubnet(d, ip, end, mask);
        b.addressing = Addressing.SERVER_BRIDGE;
        b.ipv4Pool = pool(d, start, end, ipv4Text(mask));
        b.pushes.add("route-gateway " + ipv4Text(ip));
    }

    private static void sameSubnet(Directive d, int a, int c, int mask) throws OvpnParseException {
        if ((a & mask) != (c & mask)) {
            throw ArgValues.invalid(d, "addresses " + ipv4Text(a) + " and " + ipv4Text(c) + " are not in the same "
                    + ipv4Text(mask) + " subnet");
        }
    }

    private void explicitPool() throws OvpnParseException {
        Directive d = r.ifconfigPool;
        if (d == null) {
            return;
        }
        int start = ipv4(d, 0);
        int end = ipv4(d, 1);
        String mask = d.args().size() > 2 ? ipv4Text(ipv4(d, 2)) : null;
        boolean masked = b.shared.devType == DevType.TAP || b.topology == Topology.SUBNET;
        if (masked && mask == null) {
            mask = b.ifconfigRemoteNetmask;
            if (mask == null) {
                throw new OvpnParseException(d.line(), d.name(), Reason.MISSING_REQUIRED,
                        "ifconfig-pool needs a netmask argument or an ifconfig line");
            }
        }
        if (!masked && b.topology == Topology.P2P && b.ifconfigLocal == null) {
            throw new OvpnParseException(d.line(), d.name(), Reason.MISSING_REQUIRED,
                    "topology p2p pushes the server's address: add ifconfig");
        }
        b.ipv4Pool = pool(d, start, end, masked ? mask : null);
    }

    private static Ipv4Pool pool(Directive d, int start, int end, String netmask) throws OvpnParseException {
        if (Integer.compareUnsigned(start, end) > 0) {
            throw ArgValues.invalid(d, "pool start " + ipv4Text(start) + " is greater than pool end " + ipv4Text(end));
        }
        if (Integer.toUnsignedLong(end) - Integer.toUnsignedLong(start) + 1 > ServerConfig.MAX_POOL_SIZE) {
            throw ArgValues.invalid(d, "pool " + ipv4Text(start) + " - " + ipv4Text(end) + " is larger than "
                    + ServerConfig.MAX_POOL_SIZE + " addresses");
        }
        return new Ipv4Pool(ipv4Text(start), ipv4Text(end), netmask);
    }

    private void persist() throws OvpnParseException {
        Directive d = r.poolPersist;
        if (d == null) {
            return;
        }
        if (b.ipv4Pool == null && b.ipv6Pool == null) {
            throw new OvpnParseException(d.line(), d.name(), Reason.MISSING_REQUIRED,
                    "ifconfig-pool-persist needs an address pool");
        }
        int secs = d.args().size() > 1 ? ArgValues.intIn(d, 1, 0, Integer.MAX_VALUE)
                : ServerConfig.DEFAULT_PERSIST_SECONDS;
        b.poolPersist = new PoolPersist(ConfigFiles.resolve(r.baseDir(), d.arg(0)).toString(), secs);
    }
}
