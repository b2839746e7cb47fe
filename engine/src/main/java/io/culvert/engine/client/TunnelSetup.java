package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.NextHop;
import io.culvert.engine.tun.TunDevice;
import io.culvert.engine.tun.TunFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a pushed configuration into a configured device: opens it, assigns addresses by topology, sets the
 * MTU and installs routes (including redirect-gateway). {@link #close()} undoes all of it.
 * Not thread-safe; used by the session thread.
 */
final class TunnelSetup implements AutoCloseable {
    private final TunFactory tunFactory;
    private final NetConfig net;
    private final DnsConfig dns;
    private final String devName;
    private final boolean tap;
    private final int tunMtu;
    private final ProfileNetwork local;
    private final boolean offload;
    private TunDevice device;

    /** With the profile's own routes, route-metric and DNS settings in {@code local}; a plain device. */
    TunnelSetup(TunFactory tunFactory, NetConfig net, DnsConfig dns, String devName, boolean tap, int tunMtu,
            ProfileNetwork local) {
        this(tunFactory, net, dns, devName, tap, tunMtu, local, false);
    }

    /** {@code offload}: ask the factory for a device with kernel offloads (it falls back to a plain one). */
    TunnelSetup(TunFactory tunFactory, NetConfig net, DnsConfig dns, String devName, boolean tap, int tunMtu,
            ProfileNetwork local, boolean offload) {
        this.offload = offload;
        this.local = local;
        this.tunFactory = tunFactory;
        this.net = net;
        this.dns = dns;
        this.devName = devName;
        this.tap = tap;
        this.tunMtu = tunMtu;
    }

    TunDevice device() {
        return device;
    }

    /** What happened to the pushed DNS settings, for the log. */
    String dnsResult() {
        return dnsResult;
    }

    private String dnsResult = "";
    private DnsChoice dnsChoice;

    ConnectionInfo apply(PushedConfig c, String server, String remoteDescription, String cipher, String tls) throws EngineException {
        int mtu = c.tunMtu() > 0 ? c.tunMtu() : tunMtu;
        List<String> routes = new ArrayList<>();
        String ipv4 = null;
        try {
            device = tunFactory.open(devName, tap, mtu, offload);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED, "cannot open " + (tap ? "tap" : "tun") + " device: " + e.getMessage(), e);
        }
        String dev = device.name();
        try {
            net.setLinkUp(dev, mtu);
            String vpnGateway = c.routeGateway();
            if (c.ifconfig() != null) {
                String a = c.ifconfig().get(0);
                String b = c.ifconfig().get(1);
                if (tap || "subnet".equals(c.topology())) {
                    int prefix = prefixLength(b);
                    ipv4 = a + "/" + prefix;
                    net.addAddress(dev, ipv4);
                } else {
                    ipv4 = a + "/32";
                    net.addPeerAddress(dev, a, b);
                    vpnGateway = vpnGateway != null ? vpnGateway : b;
                }
            }
            if (c.ifconfigIpv6() != null) {
                net.addAddress6(dev, c.ifconfigIpv6());
            }
            // Like openvpn: the profile's routes first, then the pushed ones.
            for (List<String> r : concat(local.routes(), c.routes())) {
                routes.add(addRoute(r, vpnGateway, server, dev));
            }
            for (List<String> r : concat(local.routes6(), c.routes6())) {
                String gw = r.size() > 1 ? r.get(1) : c.ipv6Gateway();
                int metric = r.size() > 2 ? Integer.parseInt(r.get(2)) : local.defaultMetric();
                net.addRoute6(r.get(0), gw == null || gw.equals("vpn_gateway") ? null : gw, dev, metric);
                routes.add(r.get(0));
            }
            Set<String> redirect = local.redirectGateway(c.redirectGateway());
            if (redirect != null) {
                routes.addAll(redirectGateway(redirect, vpnGateway, c.ipv6Gateway(), server, dev));
            }
            dnsChoice = DnsChoice.choose(local, c);
            dnsResult = dns.apply(dev, dnsChoice.servers(), dnsChoice.domains(), dnsChoice.defaultRoute());
            if (!dnsChoice.unapplied().isEmpty()) {
                dnsResult += "; accepted but not applied (plain DNS only): " + String.join(", ", dnsChoice.unapplied());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED, "configuring " + dev + " failed: " + e.getMessage(), e);
        }
        return new ConnectionInfo(remoteDescription, dev, ipv4, c.ifconfigIpv6(), cipher, tls, routes, dnsChoice.servers());
    }

    private String addRoute(List<String> r, String vpnGateway, String server, String dev) throws IOException {
        String netAddr = r.get(0).equals("remote_host") ? server : r.get(0);
        String mask = r.size() > 1 && !r.get(1).equals("default") ? r.get(1) : "255.255.255.255";
        String gwWord = r.size() > 2 && !r.get(2).equals("default") ? r.get(2) : "vpn_gateway";
        int metric = r.size() > 3 ? Integer.parseInt(r.get(3)) : local.defaultMetric();
        String cidr = netAddr + "/" + prefixLength(mask);
        if (gwWord.equals("net_gateway")) {
            NextHop via = net.routeTo(server).orElseThrow(() -> new IOException("no route to " + server + " for net_gateway"));
            net.addRoute(cidr, via.gateway().orElse(null), via.device(), metric);
        } else {
            String gw = gwWord.equals("vpn_gateway") ? vpnGateway : gwWord;
            net.addRoute(cidr, gw, dev, metric);
        }
        return cidr;
    }

    private List<String> redirectGateway(Set<String> flags, String vpnGateway, String gw6, String server, String dev) throws IOException {
        List<String> added = new ArrayList<>();
        if (!flags.contains("!ipv4")) {
            if (!flags.contains("local")) {
                var via = net.routeTo(server);
                if (via.isPresent() && via.get().gateway().isPresent()) {
                    net.addRoute(server + "/32", via.get().gateway().get(), via.get().device(), -1);
                    added.add(server + "/32");
                }
            }
            // def1 semantics always: two /1 routes override the default without deleting it.
            net.addRoute("0.0.0.0/1", vpnGateway, dev, -1);
            net.addRoute("128.0.0.0/1", vpnGateway, dev, -1);
            added.add("0.0.0.0/1");
            added.add("128.0.0.0/1");
        }
        if (flags.contains("ipv6")) {
            // openvpn adds its IPv6 redirect routes to the route list, so they take route-metric; the IPv4 ones do not.
            net.addRoute6("::/1", gw6, dev, local.defaultMetric());
            net.addRoute6("8000::/1", gw6, dev, local.defaultMetric());
            added.add("::/1");
            added.add("8000::/1");
        }
        return added;
    }

    private static List<List<String>> concat(List<List<String>> a, List<List<String>> b) {
        List<List<String>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static int prefixLength(String netmask) {
        try {
            byte[] b = InetAddress.getByName(netmask).getAddress();
            int bits = 0;
            for (byte x : b) {
                bits += Integer.bitCount(x & 0xff);
            }
            return bits;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad netmask " + netmask, e);
        }
    }

    @Override
    public void close() {
        dns.revert();
        net.undoAll();
        if (device != null) {
            device.close();
            device = null;
        }
    }
}
