package io.culvert.engine.api;

import java.util.List;

/**
 * A client's network settings on one server, kept in its client-config-dir entry. Immutable.
 *
 * @param staticAddress the client's fixed tunnel IPv4 address, or null to take one from the pool
 * @param iroutes networks behind the client that the server routes to it, as "a.b.c.d/bits"
 * @param pushedRoutes routes pushed to this client only, as "a.b.c.d/bits"
 */
public record ClientNetwork(String staticAddress, List<String> iroutes, List<String> pushedRoutes) {
    /** Nothing set: a pool address, no routes. */
    public static final ClientNetwork NONE = new ClientNetwork(null, List.of(), List.of());

    public ClientNetwork {
        staticAddress = staticAddress == null || staticAddress.isBlank() ? null : staticAddress.strip();
        if (staticAddress != null && !ServerSpec.isIpv4(staticAddress)) {
            throw new IllegalArgumentException("'" + staticAddress + "' is not an IPv4 address");
        }
        iroutes = List.copyOf(iroutes);
        pushedRoutes = List.copyOf(pushedRoutes);
        for (String r : iroutes) {
            checkCidr(r);
        }
        for (String r : pushedRoutes) {
            checkCidr(r);
        }
    }

    /** True when "a.b.c.d/bits" names an IPv4 network (no host bits set). */
    public static boolean isCidr(String s) {
        int slash = s == null ? -1 : s.indexOf('/');
        if (slash < 0 || !ServerSpec.isIpv4(s.substring(0, slash))) {
            return false;
        }
        int bits;
        try {
            bits = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (bits < 0 || bits > 32) {
            return false;
        }
        int addr = 0;
        for (String p : s.substring(0, slash).split("\\.")) {
            addr = addr << 8 | Integer.parseInt(p);
        }
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (addr & ~mask) == 0;
    }

    private static void checkCidr(String r) {
        if (!isCidr(r)) {
            throw new IllegalArgumentException("'" + r + "' is not a network like 192.168.10.0/24");
        }
    }
}
