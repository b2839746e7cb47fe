package io.culvert.engine.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address literals and prefix containment for the client's route planning; no name is ever looked up. */
final class RoutePrefixes {
    private RoutePrefixes() {}

    /** An address literal, or null for anything else (a name is never looked up here). */
    static InetAddress literal(String address) {
        try {
            return address.indexOf(':') >= 0 || address.matches("[0-9.]+") ? InetAddress.getByName(address) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** True when prefix {@code cidr} (of the same family) contains {@code host}. */
    static boolean covers(String cidr, InetAddress host) {
        int slash = cidr.indexOf('/');
        InetAddress network = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        if (network == null || network.getClass() != host.getClass()) {
            return false;
        }
        byte[] n = network.getAddress();
        byte[] h = host.getAddress();
        int bits = slash < 0 ? n.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        for (int i = 0; i < n.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : 0xff00 >>> bits & 0xff;
            if ((n[i] & mask) != (h[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
