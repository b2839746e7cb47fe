package io.culvert.engine.client;

import java.util.List;
import java.util.Set;

/** Applies {@code pull-filter accept|ignore|reject TEXT} and {@code route-nopull} to pushed options. */
final class PullFilter {
    private static final Set<String> ROUTE_OPTIONS = Set.of("route", "route-ipv6", "redirect-gateway", "redirect-private",
            "dhcp-option", "route-gateway", "block-outside-dns", "dns");

    private PullFilter() {}

    /**
     * True when the option should be applied. "reject" rules are treated as "ignore" here; the caller logs.
     *
     * @param filters each [action, text]; the first rule whose text is a prefix of the option wins
     */
    static boolean accepts(List<List<String>> filters, List<String> option, boolean routeNopull) {
        String text = String.join(" ", option);
        for (List<String> f : filters) {
            if (f.size() >= 2 && text.startsWith(f.get(1))) {
                return f.get(0).equals("accept");
            }
        }
        // route-nopull keeps everything but routes and DNS settings (OpenVPN semantics).
        return !(routeNopull && ROUTE_OPTIONS.contains(option.getFirst()));
    }
}
