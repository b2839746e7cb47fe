package io.culvert.engine.management;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.InstanceInfo;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns engine events into the management interface's state and log history (bounded) and passes each new entry
 * to the subscribed connections. What the interface's own connections cause (the {@code MANAGEMENT: CMD} line of
 * each command) is kept in the history but goes in real time only to the connection that caused it, so no client
 * can make the journal fan its input out to every other client. Thread-safe; subscribers are called outside the
 * journal's lock, and {@link #onEvent} never blocks (subscribers only enqueue).
 */
public final class EventJournal implements EngineListener {

    /** Receives new entries; must not block. */
    public interface Subscriber {
        void onState(StateRecord state);

        void onLog(LogRecord log);
    }

    private final int logCache;
    private final int stateCache;
    private final Deque<LogRecord> logs = new ArrayDeque<>();
    private final Deque<StateRecord> states = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private ConnectionInfo info;

    /** Keeps the newest {@code logCache} log lines and as many state changes (at least 100). */
    public EventJournal(int logCache) {
        this.logCache = logCache;
        this.stateCache = Math.max(100, logCache);
    }

    @Override
    public void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.StateChanged s -> stateChanged(s);
            case EngineEvent.Log l -> log(l.time(), flag(l.level()), l.message());
            case EngineEvent.Connected c -> {
                synchronized (this) {
                    info = c.info();
                }
            }
            case EngineEvent.Instance i -> log(i.time(), "I", instanceLine(i));
            case EngineEvent.Traffic t -> { }
            case EngineEvent.NoAnswer n -> { } // its log line goes to the journal as a Log event
        }
    }

    /** Adds a log line of the interface's own (flags as in {@link LogRecord}). */
    public void log(Instant time, String flags, String message) {
        LogRecord r = new LogRecord(time.getEpochSecond(), flags, message);
        synchronized (this) {
            add(logs, r, logCache);
        }
        subscribers.forEach(s -> s.onLog(r));
    }

    /**
     * Adds a log line caused by one connection: kept in the history, passed in real time to {@code origin} only (as
     * OpenVPN, with its single management client, shows a client its own commands).
     */
    public void log(Instant time, String flags, String message, Subscriber origin) {
        LogRecord r = new LogRecord(time.getEpochSecond(), flags, message);
        synchronized (this) {
            add(logs, r, logCache);
        }
        origin.onLog(r);
    }

    /** Adds a state entry directly (a server has no state events of its own). */
    public void state(StateRecord r) {
        synchronized (this) {
            StateRecord last = states.peekLast();
            if (last != null && last.name().equals("EXITING") && r.name().equals("EXITING")) {
                return;
            }
            add(states, r, stateCache);
        }
        subscribers.forEach(s -> s.onState(r));
    }

    public synchronized List<LogRecord> logs() {
        return new ArrayList<>(logs);
    }

    public synchronized List<StateRecord> states() {
        return new ArrayList<>(states);
    }

    /** The newest state, or null before the first. */
    public synchronized StateRecord current() {
        return states.peekLast();
    }

    public void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    private void stateChanged(EngineEvent.StateChanged s) {
        ConnectionInfo ci;
        synchronized (this) {
            ci = info;
            if (s.state() != ConnectionState.CONNECTED && s.state() != ConnectionState.ADD_ROUTES) {
                info = s.state() == ConnectionState.ASSIGN_IP ? info : null;
            }
        }
        state(toRecord(s, ci));
    }

    /** The state entry OpenVPN would print for {@code s}; {@code ci} is the tunnel once it is up. */
    static StateRecord toRecord(EngineEvent.StateChanged s, ConnectionInfo ci) {
        long t = s.time().getEpochSecond();
        String detail = s.detail() == null ? "" : s.detail();
        return switch (s.state()) {
            case ASSIGN_IP -> new StateRecord(t, "ASSIGN_IP", "", firstWord(detail), "", "", "", "", "");
            case CONNECTED -> {
                String tun = ci == null || ci.ipv4() == null ? "" : stripPrefix(ci.ipv4());
                String v6 = ci == null || ci.ipv6() == null ? "" : stripPrefix(ci.ipv6());
                String[] remote = ci == null ? new String[] {"", ""} : hostPort(ci.remote());
                // As openvpn with netlink: a route refused for another reason than being present already is ROUTE_ERROR.
                String result = s.error() != null ? "ERROR" : ci != null && ci.routeErrors() ? "ROUTE_ERROR" : "SUCCESS";
                yield new StateRecord(t, "CONNECTED", result, tun, remote[0], remote[1],
                        "", "", v6);
            }
            case RECONNECTING -> new StateRecord(t, "RECONNECTING", reason(s.error(), "SIGUSR1"), "", "", "", "", "", "");
            case EXITING, DISCONNECTED -> new StateRecord(t, "EXITING", reason(s.error(), "SIGTERM"), "", "", "", "", "", "");
            default -> new StateRecord(t, s.state().name(), "", "", "", "", "", "", "");
        };
    }

    /** OpenVPN's short restart/exit reasons where one matches, else the error's name in its style. */
    private static String reason(ErrorKind error, String none) {
        if (error == null) {
            return none;
        }
        return switch (error) {
            case KEEPALIVE_TIMEOUT -> "ping-restart";
            case SERVER_RESTART -> "server-pushed-connection-reset";
            case SERVER_HALT -> "server-pushed-halt";
            case AUTH_FAILED -> "auth-failure";
            case TLS_HANDSHAKE_FAILED, TLS_AUTH_FAILED, HANDSHAKE_TIMEOUT -> "tls-error";
            default -> error.name().toLowerCase(Locale.ROOT).replace('_', '-');
        };
    }

    /** {@code host:port/proto} (host possibly a bracketed IPv6 literal) → {host, port}. */
    static String[] hostPort(String remote) {
        if (remote == null) {
            return new String[] {"", ""};
        }
        int slash = remote.lastIndexOf('/');
        String hp = slash >= 0 ? remote.substring(0, slash) : remote;
        int colon = hp.lastIndexOf(':');
        if (colon < 0) {
            return new String[] {hp, ""};
        }
        String host = hp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, hp.substring(colon + 1)};
    }

    private static String instanceLine(EngineEvent.Instance i) {
        InstanceInfo in = i.info();
        String who = (in.commonName() == null ? "UNDEF" : in.commonName()) + "/" + in.realAddress();
        String what = switch (i.change()) {
            case CONNECTED -> "Peer Connection Initiated";
            case DISCONNECTED -> "client disconnected";
            case KICKED -> "client killed";
            case RENEGOTIATED -> "data channel keys renegotiated";
        };
        return who + " " + what + (i.detail() == null || i.detail().isEmpty() ? "" : " (" + i.detail() + ")");
    }

    static String flag(EngineEvent.Level level) {
        return switch (level) {
            case DEBUG -> "D";
            case INFO -> "I";
            case WARN -> "W";
            case ERROR -> "N";
        };
    }

    private static String firstWord(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    private static String stripPrefix(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    private static <T> void add(Deque<T> q, T item, int max) {
        q.addLast(item);
        while (q.size() > max) {
            q.removeFirst();
        }
    }
}
