package io.culvert.engine.config;

import java.util.List;

/**
 * One client-config-dir file: a static {@code ifconfig-push} (local address and peer or netmask),
 * {@code ifconfig-ipv6-push} ({@code addr/bits}), {@code iroute}/{@code iroute-ipv6} prefixes, extra
 * {@code push} options in file order, {@code push-reset}, {@code disable}, every line Culvert does not
 * apply ({@code unsupported}, as "line N: text", the way OpenVPN logs and skips them), and the {@code push-remove}
 * prefixes that take options off the server's own push list ({@code pushRemoves}). Immutable.
 */
public record CcdEntry(String ifconfigPushLocal, String ifconfigPushRemoteOrMask, String ifconfigIpv6Push,
        List<Iroute> iroutes, List<String> pushes, boolean pushReset, boolean disable, List<String> unsupported,
        List<String> pushRemoves) {

    public CcdEntry {
        iroutes = List.copyOf(iroutes);
        pushes = List.copyOf(pushes);
        unsupported = List.copyOf(unsupported);
        pushRemoves = List.copyOf(pushRemoves);
    }

    /** An entry without {@code push-remove}. */
    public CcdEntry(String ifconfigPushLocal, String ifconfigPushRemoteOrMask, String ifconfigIpv6Push,
            List<Iroute> iroutes, List<String> pushes, boolean pushReset, boolean disable, List<String> unsupported) {
        this(ifconfigPushLocal, ifconfigPushRemoteOrMask, ifconfigIpv6Push, iroutes, pushes, pushReset, disable,
                unsupported, List.of());
    }

    /**
     * What the client is pushed, given the server's own push list: none of it after {@code push-reset}, else without
     * the options {@code push-remove} names (every option that starts with the text, as OpenVPN's
     * {@code push_remove_option} matches), then this entry's own pushes.
     */
    public List<String> pushesAfter(List<String> inherited) {
        List<String> out = new java.util.ArrayList<>();
        if (!pushReset) {
            inherited.stream().filter(p -> !removed(p, pushRemoves)).forEach(out::add);
        }
        out.addAll(pushes);
        return out;
    }

    /** OpenVPN's push-remove match: the option starts with one of the texts. */
    static boolean removed(String option, List<String> prefixes) {
        return prefixes.stream().anyMatch(option::startsWith);
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
        p.removeIf(o -> removed(o, later.pushRemoves));
        p.addAll(later.pushes);
        List<String> removes = new java.util.ArrayList<>(pushRemoves);
        removes.addAll(later.pushRemoves);
        List<Iroute> r = new java.util.ArrayList<>(iroutes);
        r.addAll(later.iroutes);
        List<String> u = new java.util.ArrayList<>(unsupported);
        u.addAll(later.unsupported);
        boolean laterV4 = later.ifconfigPushLocal != null;
        return new CcdEntry(laterV4 ? later.ifconfigPushLocal : ifconfigPushLocal,
                laterV4 ? later.ifconfigPushRemoteOrMask : ifconfigPushRemoteOrMask,
                later.ifconfigIpv6Push != null ? later.ifconfigIpv6Push : ifconfigIpv6Push, r, p,
                pushReset || later.pushReset, disable || later.disable, u, removes);
    }

    /** An internal route behind a client: {@code network/prefix}, IPv4 or IPv6 (then {@code network} has a colon). */
    public record Iroute(String network, int prefix) {
        /** True for an {@code iroute-ipv6} prefix. */
        public boolean ipv6() {
            return network.indexOf(':') >= 0;
        }
    }
}
