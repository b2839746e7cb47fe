package io.culvert.engine.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's answer to "why can't A reach B?": an ordered list of checks made from its real state (instances,
 * pushed routes, its router, client-to-client and the pair policy, gateway and NAT rules, flow counters) and, when
 * asked for, an active probe from the server's tunnel address. The first check that failed is the answer
 * ({@link #answer()}). Instances are immutable.
 *
 * @param from the common name asked about as the sender
 * @param to the common name or address asked about as the receiver
 * @param steps the checks, in the order a packet meets them
 * @param pathMtu the largest IPv4 packet that crossed the tunnel to B and back, measured by the probe; null when not
 *     measured
 */
public record PathCheck(String from, String to, List<Step> steps, Integer pathMtu) {

    public PathCheck {
        steps = List.copyOf(steps);
    }

    /** How one check came out. */
    public sealed interface Verdict permits Ok, Fault, Unknown {
        /** The word shown in brackets: {@code ok}, {@code FAULT}, {@code unknown}. */
        String word();
    }

    /** The check passed. */
    public record Ok() implements Verdict {
        @Override
        public String word() {
            return "ok";
        }
    }

    /** The check failed: packets from A to B stop here. */
    public record Fault() implements Verdict {
        @Override
        public String word() {
            return "FAULT";
        }
    }

    /** The server cannot tell from what it sees (no traffic to count, a probe it cannot send). */
    public record Unknown() implements Verdict {
        @Override
        public String word() {
            return "unknown";
        }
    }

    public static final Verdict OK = new Ok();
    public static final Verdict FAULT = new Fault();
    public static final Verdict UNKNOWN = new Unknown();

    /** Where on the path a check looks: for drawing the path, the failing hop in red. */
    public enum Hop {
        /** A and its link to the server: is it connected, what was it given. */
        SOURCE,
        /** The server's own router: routes, iroutes, client-to-client, pair policy, counters. */
        SERVER,
        /** The server's link to B and B itself. */
        TARGET,
        /** Beyond the server: gateway mode and NAT routes for an outside address. */
        OUTSIDE
    }

    /**
     * One check. Instances are immutable.
     *
     * @param name what was checked, a few words ("A connected", "pair policy")
     * @param hop where on the path
     * @param verdict ok, fault or unknown
     * @param words one sentence that says what the server found
     */
    public record Step(String name, Hop hop, Verdict verdict, String words) {
        /** {@code [ok] A connected: alice is connected ...}. */
        public String line() {
            return "[" + verdict.word() + "] " + name + ": " + words;
        }
    }

    /** The first failed check, the answer to the question; empty when nothing failed. */
    public Optional<Step> answer() {
        return steps.stream().filter(s -> s.verdict() instanceof Fault).findFirst();
    }

    /** True when no check failed. */
    public boolean works() {
        return answer().isEmpty();
    }

    /** The answer in one line: the first fault's sentence, or that the path works (with the measured MTU). */
    public String summary() {
        return answer().map(s -> from + " cannot reach " + to + ": " + s.words())
                .orElseGet(() -> from + " can reach " + to + " through the server"
                        + (pathMtu == null ? "" : "; path MTU " + pathMtu + " bytes"));
    }

    /** The whole answer as text lines: the summary, then one line per check. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(summary());
        for (int i = 0; i < steps.size(); i++) {
            out.add((i + 1) + ". " + steps.get(i).line());
        }
        return out;
    }
}
