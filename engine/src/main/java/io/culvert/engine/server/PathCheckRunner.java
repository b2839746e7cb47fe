package io.culvert.engine.server;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.PathCheck;
import io.culvert.engine.sys.PacketFilter;
import java.io.IOException;
import java.net.Inet4Address;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The I/O half of the path check (ADR 0044), run on the caller's thread, never the server's: it reads the server's
 * state on the server thread twice around a counting window, runs the probe (every packet sent and every reply taken
 * on the server thread, the waiting here, each wait bounded), and hands the facts to {@link PathDiagnosis}. At most
 * {@link #MAX_PROBES} probe packets per check, and {@link #MAX_MILLIS} in all.
 */
final class PathCheckRunner {
    /** How long the counters are watched. */
    static final long WINDOW_MILLIS = 2000;
    /** Echo requests sent to see whether B answers at all, and how long to wait for one of them. */
    static final int REACH_PROBES = 3;
    static final long REACH_WAIT_MILLIS = 3000;
    /** How long one size of the MTU search waits for B's answer (two requests of that size are in flight). */
    static final long SIZE_WAIT_MILLIS = 1000;
    /** The smallest probe, a default ping's 84 bytes. */
    static final int SMALL = 84;
    static final int MAX_PROBES = 40;
    static final long MAX_MILLIS = 30_000;

    /** Runs a job on the server thread and returns its result. */
    @FunctionalInterface
    interface OnLoop {
        <T> T call(Function<ServerCore, T> job) throws EngineException;
    }

    private final ServerPlan plan;
    private final OnLoop loop;
    private final PacketFilter filter;
    private final Supplier<List<String>> natRules;
    private final InstantSource clock;

    PathCheckRunner(ServerPlan plan, OnLoop loop, PacketFilter filter, Supplier<List<String>> natRules,
            InstantSource clock) {
        this.plan = plan;
        this.loop = loop;
        this.filter = filter;
        this.natRules = natRules;
        this.clock = clock;
    }

    PathCheck run(String from, String to, boolean probe, long windowMillis) throws EngineException {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "a path check needs A (a common name) and B (a common"
                    + " name or an IP address)");
        }
        ServerCore.PathView first = loop.call(c -> c.pathView(from, to));
        ServerCore.PathView last = first;
        long window = 0;
        if (first.a() != null && windowMillis > 0) {
            sleep(windowMillis);
            window = windowMillis;
            last = loop.call(c -> c.pathView(from, to));
        }
        PathDiagnosis.Probe result = null;
        if (probe && last.a() != null && last.b() != null) {
            result = probe(last);
        }
        PathDiagnosis.Facts facts = new PathDiagnosis.Facts(from, to, last.a(), last.target(), last.byName(), last.b(),
                last.bIroute(), plan.tunnelAddress(), plan.settings().tap(), plan.clientToClient(), plan.pairPolicy(),
                forwarding(), plan.gateway(), plan.natRoutes(), natRules.get(), first.counters(), last.counters(),
                window, result);
        return PathDiagnosis.diagnose(facts);
    }

    private PathDiagnosis.Probe probe(ServerCore.PathView v) throws EngineException {
        if (plan.settings().tap()) {
            return PathDiagnosis.Probe.refused("a TAP server has no IP address of its own to probe from");
        }
        if (!(v.target() instanceof Inet4Address target)) {
            return PathDiagnosis.Probe.refused("the probe speaks IPv4 only");
        }
        Inet4Address server = plan.tunnelAddress();
        if (server == null) {
            return PathDiagnosis.Probe.refused("the server has no IPv4 tunnel address to probe from");
        }
        int tunMtu = plan.settings().tunMtu();
        BlockingQueue<PathProbe.Reply> replies = new ArrayBlockingQueue<>(2 * MAX_PROBES);
        PathProbe p = new PathProbe(server, target, new SecureRandom().nextInt(1 << 16), replies::offer);
        Search s = new Search(p, replies, clock.millis() + MAX_MILLIS);
        loop.call(c -> {
            c.probe(p);
            return null;
        });
        try {
            long sent = clock.millis();
            PathProbe.Reply first = s.send(SMALL, REACH_PROBES, REACH_WAIT_MILLIS);
            if (first == null) {
                return new PathDiagnosis.Probe(null, REACH_PROBES, false, 0, null, tunMtu);
            }
            long rtt = clock.millis() - sent;
            int mtu;
            if (s.send(tunMtu, 2, SIZE_WAIT_MILLIS) != null) {
                mtu = tunMtu;
            } else {
                int good = SMALL;
                int bad = tunMtu;
                while (bad - good > 1 && s.budgetLeft()) {
                    int mid = (good + bad) >>> 1;
                    if (s.send(mid, 2, SIZE_WAIT_MILLIS) != null) {
                        good = mid;
                    } else {
                        bad = mid;
                    }
                }
                mtu = good;
            }
            return new PathDiagnosis.Probe(null, REACH_PROBES, true, rtt, mtu, tunMtu);
        } finally {
            loop.call(c -> {
                c.probe(null);
                return null;
            });
        }
    }

    /** Sends probes and waits for their answers; bounded in packets and time. */
    private final class Search {
        private final PathProbe probe;
        private final BlockingQueue<PathProbe.Reply> replies;
        private final long deadline;
        private int seq;

        Search(PathProbe probe, BlockingQueue<PathProbe.Reply> replies, long deadline) {
            this.probe = probe;
            this.replies = replies;
            this.deadline = deadline;
        }

        boolean budgetLeft() {
            return seq + 2 <= MAX_PROBES && clock.millis() < deadline;
        }

        /** Sends {@code copies} requests of {@code size} bytes; the first answer to one of them, or null. */
        PathProbe.Reply send(int size, int copies, long waitMillis) throws EngineException {
            Set<Integer> mine = new HashSet<>();
            for (int i = 0; i < copies && seq < MAX_PROBES; i++) {
                int n = ++seq;
                mine.add(n);
                byte[] packet = probe.request(n, size);
                loop.call(c -> {
                    c.sendProbe(packet);
                    return null;
                });
            }
            long start = clock.millis();
            long until = Math.min(start + waitMillis, deadline);
            try {
                for (long left = until - clock.millis(); left > 0; left = until - clock.millis()) {
                    PathProbe.Reply r = replies.poll(left, TimeUnit.MILLISECONDS);
                    if (r != null && mine.contains(r.seq()) && r.size() == size) {
                        // The other copies' answers are on their way: take them here (briefly), so that none
                        // arrives after the probe is taken out of the traffic and reaches the server's host.
                        long grace = Math.min(waitMillis, 100 + 2 * (clock.millis() - start));
                        for (int twins = mine.size() - 1; twins > 0 && replies.poll(grace, TimeUnit.MILLISECONDS) != null;
                                twins--) {
                            // absorbed
                        }
                        return r;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(ErrorKind.INTERNAL, "path check interrupted");
            }
            return null;
        }
    }

    private String forwarding() {
        try {
            String v = filter.sysctl(NatGateway.IPV4_FORWARD).strip();
            return v.isEmpty() ? "-" : v;
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }

    private static void sleep(long millis) throws EngineException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorKind.INTERNAL, "path check interrupted");
        }
    }
}
