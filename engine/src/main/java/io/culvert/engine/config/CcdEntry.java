package io.culvert.engine.config;

import java.util.List;

/**
 * One client-config-dir file: a static {@code ifconfig-push} (local address and peer or netmask),
 * {@code ifconfig-ipv6-push} ({@code addr/bits}), {@code iroute}/{@code iroute-ipv6} prefixes, extra
 * {@code push} options in file order, {@code push-reset}, {@code disable}, and every line Culvert does not
 * apply ({@code unsupported}, as "line N: text", the way OpenVPN logs and skips them). Immutable.
 */
public record CcdEntry(String ifconfigPushLocal, String ifconfigPushRemoteOrMask, String ifconfigIpv6Push,
        List<Iroute> iroutes, List<String> pushes, boolean pushReset, boolean disable, List<String> unsupported) {

    public CcdEntry {
        iroutes = List.copyOf(iroutes);
        pushes = List.copyOf(pushes);
        unsupported = List.copyOf(unsupported);
    }

    /** An internal route behind a client: {@code network/prefix}, IPv4 or IPv6 (then {@code network} has a colon). */
    public record Iroute(String network, int prefix) {
        /** True for an {@code iroute-ipv6} prefix. */
        public boolean ipv6() {
            return network.indexOf(':') >= 0;
        }
    }
}
