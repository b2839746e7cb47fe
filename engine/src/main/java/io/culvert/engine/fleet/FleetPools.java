package io.culvert.engine.fleet;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.ServerAddresses;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.net.Addresses;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The address pools a server config hands out, as the networks the fleet must keep apart: the IPv4 pool as the
 * smallest network covering its first and last address ({@code server 10.8.0.0 255.255.255.0} is 10.8.0.0/24), the
 * IPv6 pool as its base and prefix length. Text as PostgreSQL prints a {@code cidr}.
 */
final class FleetPools {
    private FleetPools() {}

    /** The config's pools, IPv4 first; empty when it hands out no addresses. */
    static List<String> of(ServerConfig config) throws EngineException {
        ServerAddresses a = config.addresses();
        List<String> out = new ArrayList<>();
        if (a.ipv4Pool() != null) {
            Integer start = Addresses.parseIpv4(a.ipv4Pool().start());
            Integer end = Addresses.parseIpv4(a.ipv4Pool().end());
            if (start == null || end == null) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "the IPv4 pool's addresses are not IPv4 addresses");
            }
            out.add(covering(start, end));
        }
        if (a.ipv6Pool() != null) {
            BigInteger base = Addresses.parseIpv6(a.ipv6Pool().base());
            int bits = a.ipv6Pool().bits();
            if (base == null || bits < 0 || bits > 128) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "the IPv6 pool is not an IPv6 network");
            }
            BigInteger mask = Addresses.IPV6_MAX.shiftRight(bits).xor(Addresses.IPV6_MAX);
            Inet6Address net = Addresses.fromBig(base.and(mask));
            out.add(Addresses.text(net) + "/" + bits);
        }
        return List.copyOf(out);
    }

    /** The smallest IPv4 network holding both {@code start} and {@code end}. */
    static String covering(int start, int end) {
        int bits = 32;
        while (bits > 0 && (start & Addresses.prefixMask(bits)) != (end & Addresses.prefixMask(bits))) {
            bits--;
        }
        return Addresses.ipv4Text(start & Addresses.prefixMask(bits)) + "/" + bits;
    }
}
