package io.culvert.engine.client;

import io.culvert.engine.sys.Routes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ClientRunner#run}'s choice among a profile's transports (issue 14, ADR 0047): the order of the remotes
 * ({@link TransportFallback}, the one that worked last on this network first, from {@link TransportMemory}), the
 * time each attempt gets, why a remote was passed over, and which one to remember once a tunnel is up. Session
 * thread only.
 */
final class TransportChoice {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);

    private final TransportFallback fallback;
    private final TransportMemory memory;
    /** This profile on the network the runner started on ({@link #networkKey}), or null. */
    private final String memoryKey;

    /** Orders {@code profile}'s remotes for the network the route watch sees now, and says so when it matters. */
    TransportChoice(ClientProfile profile, TransportMemory memory, ServerRouteWatch routes, RunnerStatus status) {
        this.memory = memory;
        this.memoryKey = networkKey(profile.remotes(), routes);
        String remembered = memoryKey == null ? null : memory.recall(memoryKey);
        this.fallback = new TransportFallback(profile.remotes(), remembered);
        List<ClientProfile.Remote> remotes = fallback.order();
        if (fallback.mixed()) {
            status.note("Transports to try: " + remotes.stream()
                    .map(r -> TransportFallback.transport(r).label() + " " + r).collect(Collectors.joining(", "))
                    + (remembered != null && TransportFallback.key(remotes.get(0)).equals(remembered)
                            ? " (the first worked last on this network)" : ""));
        }
    }

    /** The remotes in the order to try them. */
    List<ClientProfile.Remote> order() {
        return fallback.order();
    }

    /** More than one transport: the remotes fall back from one to the next. */
    boolean mixed() {
        return fallback.mixed();
    }

    /** The time an attempt on {@code remote} gets, of the profile's {@code full} connect-timeout. */
    Duration budget(ClientProfile.Remote remote, Duration full) {
        return fallback.budget(remote, full);
    }

    /**
     * {@code remote} did not work, for {@code why}; says so. True in the first round: the next remote is tried at
     * once.
     */
    boolean failed(ClientProfile.Remote remote, String why, RunnerStatus status) {
        boolean quickNext = fallback.firstRound();
        fallback.failed(remote, why);
        status.note(TransportFallback.transport(remote).label() + ": " + why + (quickNext ? "; trying the next remote" : ""));
        return quickNext;
    }

    /**
     * A tunnel is up over {@code remote}: says why the remotes before it were passed over (and returns that, or ""),
     * and remembers it for this network.
     */
    String connected(ClientProfile.Remote remote, RunnerStatus status) {
        String passed = fallback.connected(remote);
        if (!passed.isEmpty()) {
            status.note("Fell back: " + passed);
        }
        if (fallback.mixed() && memoryKey != null) {
            try {
                memory.remember(memoryKey, TransportFallback.key(remote));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Not remembered which transport worked: {}", e.getMessage());
            }
        }
        return passed;
    }

    /**
     * This profile on this network: its remotes and the route to its first server (device and gateway), or null where
     * the route is not known (no route watch, the name does not resolve).
     */
    private static String networkKey(List<ClientProfile.Remote> remotes, ServerRouteWatch routes) {
        if (!routes.following() || remotes.isEmpty()) {
            return null;
        }
        try {
            Routes.Route route = routes.lookup(InetAddress.getByName(remotes.get(0).host()));
            if (route == null) {
                return null;
            }
            return remotes.stream().map(TransportFallback::key).collect(Collectors.joining(",")) + " @ "
                    + route.device() + " via " + (route.gateway() == null ? "-" : route.gateway().getHostAddress());
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
