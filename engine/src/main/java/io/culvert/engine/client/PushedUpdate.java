package io.culvert.engine.client;

import io.culvert.engine.protocol.PushUpdate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a complete {@code PUSH_UPDATE} does to the options a client was pushed, as OpenVPN 2.7's
 * {@code update_option} / {@code remove_option} do it: the first {@code route}, {@code route-ipv6},
 * {@code redirect-gateway}/{@code redirect-private}, {@code dns} or {@code dhcp-option} of an update replaces every
 * option of its kind (the rest of the update adds to it); a single-valued option ({@code ifconfig}, {@code topology},
 * {@code tun-mtu}, {@code route-gateway}, ...) replaces its predecessor; {@code -name} removes every option of that
 * kind; {@code keepalive a b} sets {@code ping a} and {@code ping-restart b}. An option 2.7 does not let an update
 * change refuses the whole update unless it is marked {@code ?}, and so does one a pull-filter rejects; an option a
 * pull-filter ignores or {@code route-nopull} keeps away is skipped. Stateless.
 */
final class PushedUpdate {

    private PushedUpdate() {}

    /**
     * The outcome.
     *
     * @param options the pushed options after the update, or null when it was refused
     * @param changes what changed, for the log ({@code +route 10.9.0.0 255.255.255.0}, {@code -route *})
     * @param skipped options that were left out, each with the reason
     * @param refusal why the whole update was refused, or null
     */
    record Result(List<List<String>> options, List<String> changes, List<String> skipped, String refusal) {
        static Result refused(String why) {
            return new Result(null, List.of(), List.of(), why);
        }
    }

    /** Kinds of which an update's first option replaces all that were pushed before. */
    private static final Set<String> LISTS = Set.of("route", "route-ipv6", "redirect-gateway", "dns", "dhcp-option");

    static Result apply(List<List<String>> current, List<PushUpdate.Item> items, List<List<String>> pullFilters,
            boolean routeNopull) {
        List<List<String>> options = new ArrayList<>(current);
        List<String> changes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> reset = new HashSet<>();
        for (PushUpdate.Item item : items) {
            if (!item.updatable()) {
                if (item.optional()) {
                    skipped.add(item.text() + ": not updatable, dispensable");
                    continue;
                }
                return Result.refused("option '" + item.text() + "' is not updatable");
            }
            switch (PullFilter.verdict(pullFilters, item.words(), routeNopull)) {
                case REJECTED -> {
                    if (item.optional()) {
                        skipped.add(item.text() + ": rejected by pull-filter, dispensable");
                        continue;
                    }
                    return Result.refused("option '" + item.text() + "' rejected by pull-filter");
                }
                case IGNORED -> {
                    skipped.add(item.text() + ": removed by pull-filter");
                    continue;
                }
                case NOT_PULLED -> {
                    skipped.add(item.text() + ": route-nopull");
                    continue;
                }
                case APPLY -> { }
            }
            String kind = kind(item.name());
            if (item.remove()) {
                if (kind.equals("keepalive")) {
                    skipped.add(item.text() + ": keepalive cannot be removed");
                    continue;
                }
                options.removeIf(o -> kind(o.getFirst()).equals(kind));
                changes.add("-" + kind);
                continue;
            }
            if (kind.equals("keepalive")) {
                List<String> w = item.words();
                if (w.size() != 3 || !w.get(1).matches("\\d{1,9}") || !w.get(2).matches("\\d{1,9}")) {
                    skipped.add(item.text() + ": needs two numbers");
                    continue;
                }
                options.removeIf(o -> o.getFirst().equals("ping") || o.getFirst().equals("ping-restart"));
                options.add(List.of("ping", w.get(1)));
                options.add(List.of("ping-restart", w.get(2)));
                changes.add("+" + item.text());
                continue;
            }
            if (LISTS.contains(kind)) {
                if (reset.add(kind)) {
                    options.removeIf(o -> kind(o.getFirst()).equals(kind));
                }
            } else {
                options.removeIf(o -> o.getFirst().equals(item.name()));
            }
            options.add(item.words());
            changes.add("+" + item.text());
        }
        return new Result(List.copyOf(options), List.copyOf(changes), List.copyOf(skipped), null);
    }

    /** The kind an option belongs to: redirect-private counts as redirect-gateway, as in 2.7. */
    private static String kind(String name) {
        return name.equals("redirect-private") ? "redirect-gateway" : name;
    }
}
