package io.culvert.engine.config;

import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the client-to-client pair policy of a server config (ADR 0037), Culvert directives that stock OpenVPN skips
 * when they are written {@code setenv opt ...}:
 *
 * <pre>
 * culvert-c2c-group NAME CN [CN ...]   a named set of common names, written @NAME in a rule
 * culvert-c2c-deny  A B                deny traffic between A and B, both ways (A, B: a common name or @group)
 * culvert-c2c-allow-only               only the pairs of culvert-c2c-allow lines may talk
 * culvert-c2c-allow A B                allow traffic between A and B, both ways (with culvert-c2c-allow-only)
 * </pre>
 *
 * Each line is checked as it comes; groups may be defined before or after their use, and are resolved in
 * {@link #finish}. Every error names its line. One instance per read; not thread-safe.
 */
final class PairPolicyReader {
    static final String GROUP = "culvert-c2c-group";
    static final String DENY = "culvert-c2c-deny";
    static final String ALLOW = "culvert-c2c-allow";
    static final String ALLOW_ONLY = "culvert-c2c-allow-only";
    /** The directives this reader claims. */
    static final Set<String> DIRECTIVES = Set.of(GROUP, DENY, ALLOW, ALLOW_ONLY);
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Map<String, Set<String>> groups = new HashMap<>();
    private final Map<String, Directive> groupLines = new HashMap<>();
    private final List<Directive> rules = new ArrayList<>();
    private Directive allowOnly;

    /** Takes one line if it is a pair-policy directive; false otherwise. */
    boolean claim(Directive d) throws OvpnParseException {
        switch (d.name()) {
            case GROUP -> group(d);
            case DENY, ALLOW -> rule(d);
            case ALLOW_ONLY -> {
                if (allowOnly != null) {
                    throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT,
                            ALLOW_ONLY + " is already given on line " + allowOnly.line());
                }
                allowOnly = d;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void group(Directive d) throws OvpnParseException {
        String name = d.arg(0);
        if (!GROUP_NAME.matcher(name).matches()) {
            throw ArgValues.invalid(d, "'" + name + "' is not a group name (1 to 64 letters, digits or . _ -)");
        }
        Directive before = groupLines.get(name);
        if (before != null) {
            throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT,
                    "group '" + name + "' is already defined on line " + before.line());
        }
        Set<String> members = new LinkedHashSet<>();
        for (int i = 1; i < d.args().size(); i++) {
            String cn = d.arg(i);
            if (cn.startsWith("@")) {
                throw ArgValues.invalid(d, "'" + cn + "': a group lists common names, not other groups");
            }
            members.add(cn);
        }
        groups.put(name, members);
        groupLines.put(name, d);
    }

    private void rule(Directive d) throws OvpnParseException {
        for (String side : d.args()) {
            if (side.startsWith("@") && !GROUP_NAME.matcher(side.substring(1)).matches()) {
                throw ArgValues.invalid(d, "'" + side + "' is not a group name (1 to 64 letters, digits or . _ -)");
            }
        }
        if (d.arg(0).equals(d.arg(1)) && !d.arg(0).startsWith("@")) {
            throw ArgValues.invalid(d, "'" + d.arg(0) + "' twice: a rule is about two clients (a client always reaches"
                    + " itself)");
        }
        rules.add(d);
    }

    /**
     * The policy, once every line is read: groups resolved, the mode checked against the rules, and
     * {@code client-to-client} required (without it the server's host routes between clients, not Culvert).
     */
    PairPolicy finish(boolean clientToClient) throws OvpnParseException {
        if (rules.isEmpty() && allowOnly == null) {
            return PairPolicy.OPEN;
        }
        Directive first = allowOnly != null ? allowOnly : rules.getFirst();
        if (!clientToClient) {
            throw new OvpnParseException(first.line(), first.name(), Reason.MISSING_REQUIRED, first.name()
                    + " needs client-to-client: without it the server's host routes traffic between clients, and no"
                    + " client-to-client policy applies");
        }
        List<PairPolicy.Rule> out = new ArrayList<>();
        for (Directive d : rules) {
            if (d.name().equals(DENY) && allowOnly != null) {
                throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT, DENY + " has no meaning with "
                        + ALLOW_ONLY + " (line " + allowOnly.line() + "): only the pairs of " + ALLOW + " lines may talk");
            }
            if (d.name().equals(ALLOW) && allowOnly == null) {
                throw new OvpnParseException(d.line(), d.name(), Reason.MISSING_REQUIRED, ALLOW + " needs "
                        + ALLOW_ONLY + ": without it every pair not denied may talk already");
            }
            out.add(new PairPolicy.Rule(side(d, 0), side(d, 1), d.line()));
        }
        return new PairPolicy(allowOnly != null ? PairPolicy.Mode.ALLOW_ONLY_LISTED : PairPolicy.Mode.DENY_LISTED, out);
    }

    private Set<String> side(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        if (!s.startsWith("@")) {
            return Set.of(s);
        }
        Set<String> members = groups.get(s.substring(1));
        if (members == null) {
            throw ArgValues.invalid(d, "unknown group '" + s + "' (define it with '" + GROUP + " " + s.substring(1)
                    + " CN ...')");
        }
        return members;
    }
}
