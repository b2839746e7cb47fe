package io.culvert.engine.client;

import java.util.List;
import java.util.Set;

/**
 * Applies {@code pull-filter accept|ignore|reject TEXT} and {@code route-nopull} to pushed options, in OpenVPN's
 * order: the filters first (the first rule whose text is a prefix of the option's line decides), then, for what they
 * let through, route-nopull's permission check, which an {@code accept} rule does not override. Stateless.
 */
final class PullFilter {
    /**
     * What route-nopull keeps out: OpenVPN's OPT_P_ROUTE and OPT_P_DHCPDNS options. {@code route-gateway},
     * {@code route-delay} and {@code route-method} (OPT_P_ROUTE_EXTRAS) are still taken.
     */
    private static final Set<String> NOPULL = Set.of("route", "route-ipv6", "route-metric", "redirect-gateway",
            "redirect-private", "client-nat", "block-ipv6", "dns", "dhcp-option", "ip-win32", "tap-sleep", "dhcp-renew",
            "dhcp-pre-release", "register-dns", "block-outside-dns");

    /** What becomes of one pushed option. */
    enum Verdict {
        /** Taken into the pushed configuration. */
        APPLY,
        /** Removed by an {@code ignore} rule. */
        IGNORED,
        /** Not permitted with route-nopull. */
        NOT_PULLED,
        /** Hit a {@code reject} rule: OpenVPN drops the whole push and restarts the connection. */
        REJECTED
    }

    private PullFilter() {}

    /** @param filters each [action, text], in profile order */
    static Verdict verdict(List<List<String>> filters, List<String> option, boolean routeNopull) {
        String line = String.join(" ", option);
        for (List<String> f : filters) {
            if (f.size() >= 2 && line.startsWith(f.get(1))) {
                switch (f.get(0)) {
                    case "ignore" -> {
                        return Verdict.IGNORED;
                    }
                    case "reject" -> {
                        return Verdict.REJECTED;
                    }
                    default -> {
                        // accept: passes on to the permission check below
                    }
                }
                break;
            }
        }
        return routeNopull && NOPULL.contains(option.getFirst()) ? Verdict.NOT_PULLED : Verdict.APPLY;
    }
}
