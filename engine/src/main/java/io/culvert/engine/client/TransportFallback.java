package io.culvert.engine.client;

import io.culvert.engine.api.LinkTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The order, the time given and the reasons of a profile whose remotes offer more than one transport (UDP, TCP,
 * WebSocket; issue 14, ADR 0047). The remote that worked last on this network is tried first, then the rest in file
 * order. In the first round a remote that does not answer is given up quickly (UDP: {@link #QUICK} for a reply to the
 * hard reset; TCP: the same for the connect and the server's first packet), so a blocked transport costs seconds,
 * not {@code connect-timeout}; a WebSocket remote, the last resort, and every remote of later rounds (a slow network,
 * not a blocked one) get the full {@code connect-timeout}. A profile with one transport keeps OpenVPN's timing.
 * Each passed-over remote leaves a reason, reported with the one that works: "UDP: no answer in 2 s; TCP: connection
 * refused; using WebSocket". Not thread-safe: the runner's thread only.
 */
final class TransportFallback {
    /** What a UDP or TCP remote is given in the first round when nothing answers. */
    static final Duration QUICK = Duration.ofSeconds(2);

    private final List<ClientProfile.Remote> order;
    private final boolean mixed;
    private final List<String> passed = new ArrayList<>();
    private int triedThisRound;
    private boolean firstRound = true;

    /** {@code remembered} is {@link #key} of the remote that worked last on this network, or null. */
    TransportFallback(List<ClientProfile.Remote> remotes, String remembered) {
        this.mixed = remotes.stream().map(TransportFallback::transport).distinct().count() > 1;
        List<ClientProfile.Remote> o = new ArrayList<>();
        if (mixed && remembered != null) {
            remotes.stream().filter(r -> key(r).equals(remembered)).findFirst().ifPresent(o::add);
        }
        for (ClientProfile.Remote r : remotes) {
            if (!o.contains(r)) {
                o.add(r);
            }
        }
        this.order = List.copyOf(o);
    }

    static LinkTransport transport(ClientProfile.Remote r) {
        return r.webSocket() != null ? LinkTransport.WEBSOCKET : r.tcp() ? LinkTransport.TCP : LinkTransport.UDP;
    }

    /** How the remote is remembered: its URL or {@code host:port/proto}. */
    static String key(ClientProfile.Remote r) {
        return r.toString();
    }

    /** The remotes in the order to try them. */
    List<ClientProfile.Remote> order() {
        return order;
    }

    /** True when the remotes offer more than one transport, so that falling back applies. */
    boolean mixed() {
        return mixed;
    }

    /** True while the first round of tries runs: a failed remote is followed by the next without a pause. */
    boolean firstRound() {
        return mixed && firstRound;
    }

    /** The time {@code r} gets for its link and the server's first packet, out of the profile's {@code full}. */
    Duration budget(ClientProfile.Remote r, Duration full) {
        if (!firstRound() || transport(r) == LinkTransport.WEBSOCKET || full.compareTo(QUICK) <= 0) {
            return full;
        }
        return QUICK;
    }

    /** {@code r} did not work, for {@code why} ("no answer in 2 s", "connection refused"). */
    void failed(ClientProfile.Remote r, String why) {
        passed.add(transport(r).label() + ": " + why);
        if (++triedThisRound >= order.size()) {
            firstRound = false;
            triedThisRound = 0;
            passed.clear();
        }
    }

    /**
     * {@code r} works: the reasons of the remotes passed over before it and the transport taken, or "" when it was the
     * first tried. The next failure starts a new account, with a quick first round again.
     */
    String connected(ClientProfile.Remote r) {
        String out = passed.isEmpty() ? "" : String.join("; ", passed) + "; using " + transport(r).label();
        passed.clear();
        triedThisRound = 0;
        firstRound = true; // a later drop may be a move to another network: quick again
        return out;
    }

    /** Seconds in words: "3 s". */
    static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }
}
