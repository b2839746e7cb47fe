package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.WebSocketRemote;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.sys.Routes;
import io.culvert.engine.transport.Transport;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection attempts, one at a time, on the session thread (the caller of {@link ClientRunner#run}): opens the link
 * to one remote, drives a {@link ClientSession} on it (events from {@link RunnerQueue}, a tick every 100 ms, traffic
 * once a second), starts and joins the {@link DataThreads}, tears the link and the tunnel down, and says how the
 * attempt ended ({@link Outcome}). A pushed auth token is kept from one attempt to the next, as OpenVPN keeps it.
 */
final class ConnectionAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);
    private static final long TICK_MILLIS = 100;

    /**
     * How an attempt ended.
     *
     * @param connected the session was connected at some point
     * @param error why it ended, or null (stopped, or a clean exit)
     * @param errorDetail why the session failed, in the engine's words (a peer's TLS alert, a timeout …), or null
     * @param failureReason why the remote did not work, in a few words ("connection refused"), or null
     * @param serverPollTimedOut it ended with "Server poll timeout": the next remote is tried at once
     * @param tokenRefused the AUTH_FAILED answered an auth token: retry with the password, not give up
     * @param networkChanged it ended because the network changed (the log line): reconnect without the retry pause
     * @param nextRemote the server's RESTART asked for the next remote ({@code [N]}, explicit-exit-notify 2)
     */
    record Outcome(boolean connected, ErrorKind error, String errorDetail, String failureReason, boolean serverPollTimedOut,
            boolean tokenRefused, String networkChanged, boolean nextRemote) {

        /** Why the remote did not work, for the fallback's log. */
        String why() {
            return failureReason != null ? failureReason : errorDetail != null ? errorDetail : String.valueOf(error);
        }
    }

    private final RunnerParts parts;
    private final RunnerStatus status;
    private final RunnerQueue events;
    private final ClientProfile profile;
    private final LinkOpener links;
    private final UnaryOperator<Transport> linkFilter;
    private final Supplier<TunnelSetup> tunnels;
    private final ResumeWatch resume;
    private final SecureRandom random = new SecureRandom();
    /** A pushed auth token (and auth-token-user) kept across reconnects, as OpenVPN keeps it; null = none. */
    private String authToken;
    private String authTokenUser;
    // the current attempt's ending, as in Outcome
    private ErrorKind error;
    private String errorDetail;
    private String failureReason;
    private boolean serverPollTimedOut;
    private boolean nextRemote;
    private boolean tokenRefused;
    private String networkChanged;
    private boolean connected;

    /**
     * @param linkFilter every opened link goes through it first (tests put a faulty link in between)
     * @param tunnels a new tunnel set-up for each attempt
     */
    ConnectionAttempts(RunnerParts parts, LinkOpener links, UnaryOperator<Transport> linkFilter, Supplier<TunnelSetup> tunnels,
            ResumeWatch resume) {
        this.parts = parts;
        this.status = parts.status();
        this.events = parts.events();
        this.profile = parts.profile();
        this.links = links;
        this.linkFilter = linkFilter;
        this.tunnels = tunnels;
        this.resume = resume;
    }

    /** One attempt on {@code remote}, until its session finishes or the link cannot be opened. */
    Outcome run(ClientProfile.Remote remote) {
        error = null;
        serverPollTimedOut = false;
        nextRemote = false;
        tokenRefused = false;
        errorDetail = null;
        failureReason = null;
        networkChanged = null;
        connected = false;
        resume.reset();
        attempt(remote);
        return new Outcome(connected, error, errorDetail, failureReason, serverPollTimedOut, tokenRefused, networkChanged,
                nextRemote);
    }

    private void attempt(ClientProfile.Remote remote) {
        status.state(ConnectionState.CONNECTING, null, remote.toString());
        events.clear();
        Transport transport;
        InetAddress address;
        // openvpn starts the connect-timeout clock before the TCP connect and the proxy set-up, and the server's first
        // packet must arrive within the same budget
        Duration budget = parts.transports().budget(remote, Duration.ofSeconds(profile.connectTimeoutSeconds()));
        long serverPollDeadline = parts.clock().millis() + budget.toMillis();
        try {
            LinkOpener.Link link = links.open(remote, budget);
            transport = linkFilter.apply(link.transport());
            address = link.peer();
        } catch (EngineException e) {
            error = e.kind();
            failureReason = linkFailure(e, budget);
            status.warn(e.getMessage());
            return;
        }
        if (remote.webSocket() instanceof WebSocketRemote ws) {
            status.note("WebSocket link remote: " + ws.url() + (remote.proxy() == null ? "" : " via proxy " + address.getHostAddress()));
        } else {
            status.note((remote.tcp() ? "TCP" : "UDP") + " link remote: " + Addresses.text(transport.remote()));
        }
        Routes.Route route = parts.routes().follow(address);
        if (route != null) {
            status.note("Route to " + address.getHostAddress() + " via " + route);
        }
        TunnelSetup tunnel = tunnels.get();
        DataThreads threads = new DataThreads(profile, events);
        AttemptIo io = new AttemptIo(parts, transport, tunnel, remote, address.getHostAddress(), threads);
        try {
            ClientSession session = new ClientSession(profile.sessionSettings(remote.tcp()), io, parts.clock(), random);
            io.plane = session.dataPlane();
            if (profile.shaper() > 0) {
                io.shaper = new Shaper(profile.shaper());
                status.note("Output Traffic Shaping initialized at " + profile.shaper() + " bytes per second");
            }
            session.limits(profile.sessionTimeoutSeconds(), serverPollDeadline);
            session.authToken(authToken, authTokenUser);
            threads.startLinkReader(transport, io);
            session.start();
            drive(session, io);
            ended(session, budget);
        } catch (EngineException e) {
            error = e.kind();
            status.log(EngineEvent.Level.ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.markStopped();
        } catch (RuntimeException e) {
            error = ErrorKind.INTERNAL;
            LOG.error("Session failed unexpectedly", e);
        } finally {
            transport.close();
            tunnel.close();
            parts.routes().refollow(); // the tunnel's routes are gone; that is no network change either
            threads.join();
            status.tunnelDown();
        }
    }

    /** The session's event loop, until it finishes; notes whether it was connected at some point. */
    private void drive(ClientSession session, AttemptIo io) throws InterruptedException {
        long nextTick = parts.clock().millis() + TICK_MILLIS;
        long nextStats = parts.clock().millis() + 1000;
        while (!session.finished()) {
            if (events.stopRequested()) {
                session.requestExit();
            }
            long now = parts.clock().millis();
            RunnerQueue.Event ev = events.poll(Math.max(1, nextTick - now));
            int batch = 0;
            while (ev != null) {
                dispatch(session, ev);
                if (++batch >= 256 || session.finished()) {
                    break;
                }
                ev = events.poll();
            }
            now = parts.clock().millis();
            if (now >= nextTick) {
                // before the tick: after a sleep, ping-restart has expired too, and would add the retry pause
                String woke = resume.check();
                if (woke != null) {
                    dispatch(session, new RunnerQueue.NetworkChanged(woke));
                }
                session.tick();
                io.addDelayedRoutes(now);
                nextTick = now + TICK_MILLIS;
            }
            if (now >= nextStats) {
                status.event(new EngineEvent.Traffic(Instant.ofEpochMilli(now), parts.counters().snapshot()));
                nextStats = now + 1000;
            }
            connected |= session.connected();
        }
    }

    /** Takes the finished session's auth token and its ending. */
    private void ended(ClientSession session, Duration budget) {
        if (session.failure() == ErrorKind.AUTH_FAILED) {
            // openvpn's receive_auth_failed: a refused auth token (it may have expired) is dropped and the client
            // restarts to log in with its password, instead of giving up
            tokenRefused = authToken != null;
            authToken = null;
            authTokenUser = null;
        } else {
            authToken = session.authToken();
            authTokenUser = session.authTokenUser();
        }
        if (session.inactive() || session.sessionTimedOut()) {
            events.markStopped(); // like openvpn's SIGTERM on --inactive and --session-timeout: exit, do not reconnect
        } else if (session.serverPollTimedOut()) {
            error = ErrorKind.HANDSHAKE_TIMEOUT;
            serverPollTimedOut = true;
            failureReason = "no answer in " + TransportFallback.seconds(budget);
        } else if (session.failure() != null) {
            error = session.failure();
            errorDetail = session.failureDetail();
            nextRemote = session.nextRemoteAsked();
            status.warn(session.failure() + ": " + session.failureDetail());
        }
    }

    private void dispatch(ClientSession session, RunnerQueue.Event ev) {
        switch (ev) {
            case RunnerQueue.LinkIn in -> session.onLink(in.data(), 0, in.len()); // the link reader counted its bytes
            case RunnerQueue.LinkFailed f -> {
                if (!session.finished()) {
                    error = ErrorKind.NETWORK_UNREACHABLE;
                    status.warn("Connection lost: " + f.error().getMessage());
                    session.requestExit();
                    forceFinish(session);
                }
            }
            case RunnerQueue.NetworkChanged n -> {
                if (!session.finished() && networkChanged == null) {
                    networkChanged = n.why();
                    status.note(n.why() + "; reconnecting");
                    session.abandon();
                }
            }
            case RunnerQueue.Request r -> session.requestExit();
        }
    }

    private static void forceFinish(ClientSession session) {
        while (!session.finished()) {
            session.tick();
            if (!session.finished()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A link that could not be opened, in a few words: "connection refused", "no connection in 2 s", or the error. */
    private static String linkFailure(EngineException e, Duration budget) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return "no connection in " + TransportFallback.seconds(budget);
            }
        }
        return e.getMessage();
    }
}
