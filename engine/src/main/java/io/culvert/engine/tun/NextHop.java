package io.culvert.engine.tun;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the kernel would send a packet: the gateway (absent for an on-link destination) and the outgoing
 * interface. Immutable.
 */
public record NextHop(Optional<String> gateway, String device) {
    public NextHop {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
    }

    /**
     * Parses one line of {@code ip route get} or {@code ip route show default} output, for example
     * {@code "192.0.2.7 via 10.0.0.1 dev eth0 src 10.0.0.5 uid 0"}; empty if it names no device.
     */
    public static Optional<NextHop> parse(String line) {
        String[] words = line.strip().split("\\s+");
        String via = null;
        String dev = null;
        for (int i = 0; i + 1 < words.length; i++) {
            switch (words[i]) {
                case "via" -> {
                    // "via inet6 fe80::1" spells the address family before the address.
                    if (words[i + 1].startsWith("inet") && i + 2 < words.length) {
                        i++;
                    }
                    via = words[++i];
                }
                case "dev" -> dev = words[++i];
                default -> { }
            }
        }
        return dev == null ? Optional.empty() : Optional.of(new NextHop(Optional.ofNullable(via), dev));
    }
}
