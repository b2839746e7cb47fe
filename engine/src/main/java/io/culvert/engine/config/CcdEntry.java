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

    /** An entry with nothing in it. */
    public static final CcdEntry EMPTY = new CcdEntry(null, null, null, List.of(), List.of(), false, false, List.of());

    /**
     * This entry followed by {@code later} (a client-connect script's dynamic config after the client-config-dir
     * file, as OpenVPN reads them): later addresses win, push-reset in {@code later} drops earlier pushes, the
     * rest adds up.
     */
    public CcdEntry then(CcdEntry later) {
        List<String> p = new java.util.ArrayList<>(later.pushReset ? List.of() : pushes);
        p.addAll(later.pushes);
        List<Iroute> r = new java.util.ArrayList<>(iroutes);
        r.addAll(later.iroutes);
        List<String> u = new java.util.ArrayList<>(unsupported);
        u.addAll(later.unsupported);
        boolean laterV4 = later.ifconfigPushLocal != null;
        return new CcdEntry(laterV4 ? later.ifconfigPushLocal : ifconfigPushLocal,
                laterV4 ? later.ifconfigPushRemoteOrMask : ifconfigPushRemoteOrMask,
                later.ifconfigIpv6Push != null ? later.ifconfigIpv6Push : ifconfigIpv6Push, r, p,
                pushReset || later.pushReset, disable || later.disable, u);
    }

    /** An internal route behind a client: {@code network/prefix}, IPv4 or IPv6 (then {@code network} has a colon). */
    public record Iroute(String network, int prefix) {
        /** True for an {@code iroute-ipv6} prefix. */
        public boolean ipv6() {
            return network.indexOf(':') >= 0;
        }
    }
}
