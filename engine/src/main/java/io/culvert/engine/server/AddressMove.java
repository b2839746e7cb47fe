package io.culvert.engine.server;

import io.culvert.engine.protocol.PushUpdate;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a PUSH_UPDATE does to the tunnel addresses the server routes to a client, read as a 2.7 server reads its own
 * update ({@code send_single_push_update}): the last {@code ifconfig} gives the client's new IPv4 address and the last
 * {@code ifconfig-ipv6} its new IPv6 address; {@code -ifconfig} / {@code -ifconfig-ipv6} take the address away. An
 * update without either leaves the addresses alone. Immutable.
 *
 * @param v4Changed whether the update sets or removes the IPv4 address
 * @param v4 the new IPv4 address, or null (removed, or unchanged when {@code v4Changed} is false)
 * @param v6Changed whether the update sets or removes the IPv6 address
 * @param v6 the new IPv6 address, or null
 */
record AddressMove(boolean v4Changed, Inet4Address v4, boolean v6Changed, Inet6Address v6) {

    static final AddressMove NONE = new AddressMove(false, null, false, null);

    /**
     * Reads the address options of an update, refusing (IllegalArgumentException, naming the option) what a 2.7 client
     * would refuse: {@code ifconfig} needs two IPv4 addresses, {@code ifconfig-ipv6} an IPv6 address with
     * {@code /64} to {@code /124} and the server's IPv6 address.
     */
    static AddressMove of(List<PushUpdate.Item> items) {
        AddressMove m = NONE;
        for (PushUpdate.Item i : items) {
            List<String> w = i.words();
            if (i.name().equals("ifconfig")) {
                if (i.remove()) {
                    m = new AddressMove(true, null, m.v6Changed, m.v6);
                    continue;
                }
                if (w.size() != 3 || !(literal(w.get(1)) instanceof Inet4Address local) || !(literal(w.get(2)) instanceof Inet4Address)) {
                    throw new IllegalArgumentException("'" + i.text() + "': ifconfig needs two IPv4 addresses");
                }
                m = new AddressMove(true, local, m.v6Changed, m.v6);
            } else if (i.name().equals("ifconfig-ipv6")) {
                if (i.remove()) {
                    m = new AddressMove(m.v4Changed, m.v4, true, null);
                    continue;
                }
                String[] cidr = w.size() == 3 ? w.get(1).split("/", -1) : new String[0];
                if (cidr.length != 2 || !(literal(cidr[0]) instanceof Inet6Address local)
                        || !(literal(w.get(2)) instanceof Inet6Address)) {
                    throw new IllegalArgumentException("'" + i.text() + "': ifconfig-ipv6 needs an IPv6 address/bits and the server's IPv6 address");
                }
                int bits = cidr[1].matches("\\d{1,3}") ? Integer.parseInt(cidr[1]) : -1;
                if (bits < 64 || bits > 124) {
                    throw new IllegalArgumentException("'" + i.text() + "': /netbits must be between 64 and 124");
                }
                m = new AddressMove(m.v4Changed, m.v4, true, local);
            }
        }
        return m;
    }

    /** Whether the update touches the addresses at all. */
    boolean moves() {
        return v4Changed || v6Changed;
    }

    /** The addresses among {@code current} that this move takes away. */
    List<InetAddress> leaving(List<InetAddress> current) {
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : current) {
            if (v4Changed && a instanceof Inet4Address && !a.equals(v4) || v6Changed && a instanceof Inet6Address && !a.equals(v6)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The addresses this move gives that {@code current} does not have yet. */
    List<InetAddress> arriving(List<InetAddress> current) {
        List<InetAddress> out = new ArrayList<>();
        if (v4 != null && !current.contains(v4)) {
            out.add(v4);
        }
        if (v6 != null && !current.contains(v6)) {
            out.add(v6);
        }
        return out;
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
