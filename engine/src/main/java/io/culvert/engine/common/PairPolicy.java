package io.culvert.engine.common;

import java.util.List;
import java.util.Set;

/**
 * The server's client-to-client pair policy ({@code culvert-c2c-deny}, {@code culvert-c2c-allow-only} with
 * {@code culvert-c2c-allow}; ADR 0037): which pairs of clients, named by common name, may reach each other through the
 * server's own router. A rule names two sets of common names (a group expands to its members) and covers every pair
 * of one from each side, in both directions; a client is never ruled against itself, so two instances with one common
 * name ({@code duplicate-cn}) always reach each other. In {@link Mode#DENY_LISTED}
 * every pair a rule covers is denied and the rest allowed; in {@link Mode#ALLOW_ONLY_LISTED} it is the other way round,
 * and a client without a common name is denied everything. Consulted when an instance joins, not per packet. Instances
 * are immutable.
 *
 * @param mode what a rule means
 * @param rules the rules, in the order written
 */
public record PairPolicy(Mode mode, List<Rule> rules) {
    /** No rules in deny mode: every pair is allowed (plain {@code client-to-client}). */
    public static final PairPolicy OPEN = new PairPolicy(Mode.DENY_LISTED, List.of());

    /** What a listed pair means. */
    public enum Mode {
        /** Listed pairs are denied, all others allowed ({@code culvert-c2c-deny}). */
        DENY_LISTED,
        /** Listed pairs are allowed, all others denied ({@code culvert-c2c-allow-only}, {@code culvert-c2c-allow}). */
        ALLOW_ONLY_LISTED
    }

    /**
     * Every pair of one common name from {@code left} and one from {@code right}, in both directions. Instances are
     * immutable.
     *
     * @param line the config line the rule was written on, for messages
     */
    public record Rule(Set<String> left, Set<String> right, int line) {
        public Rule {
            left = Set.copyOf(left);
            right = Set.copyOf(right);
        }

        /** Whether the rule covers traffic between {@code a} and {@code b} (either way); never a name with itself. */
        public boolean covers(String a, String b) {
            return !a.equals(b) && (left.contains(a) && right.contains(b) || left.contains(b) && right.contains(a));
        }
    }

    public PairPolicy {
        if (mode == null) {
            throw new IllegalArgumentException("mode");
        }
        rules = List.copyOf(rules);
    }

    /** Whether every pair is allowed, so the router need not ask. */
    public boolean isOpen() {
        return mode == Mode.DENY_LISTED && rules.isEmpty();
    }

    /** The policy in words for the server log: {@code deny alice <-> bob (line 12); deny [g1, g2] <-> carol (line 13)}. */
    public String describe() {
        String verb = mode == Mode.DENY_LISTED ? "deny " : "allow only ";
        if (rules.isEmpty()) {
            return verb + "nothing";
        }
        StringBuilder s = new StringBuilder();
        for (Rule r : rules) {
            s.append(s.isEmpty() ? "" : "; ").append(verb).append(side(r.left())).append(" <-> ").append(side(r.right()))
                    .append(" (line ").append(r.line()).append(')');
        }
        return s.toString();
    }

    private static String side(Set<String> names) {
        return names.size() == 1 ? names.iterator().next() : names.stream().sorted().toList().toString();
    }

    /**
     * Whether client {@code from} may send to client {@code to} through the server's router. A null common name (a
     * client admitted without one) matches no rule.
     */
    public boolean allows(String from, String to) {
        if (from != null && from.equals(to)) {
            return true;
        }
        boolean listed = false;
        if (from != null && to != null) {
            for (Rule r : rules) {
                if (r.covers(from, to)) {
                    listed = true;
                    break;
                }
            }
        }
        return mode == Mode.DENY_LISTED ? !listed : listed;
    }
}
