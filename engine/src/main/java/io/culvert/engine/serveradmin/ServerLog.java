package io.culvert.engine.serveradmin;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineListener;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The recent log lines of one managed server: its own notes and the engine's events, as text, capped at
 * {@link #CAPACITY} lines. Forwards every event to the caller's listener. Thread-safe.
 */
final class ServerLog implements EngineListener {
    static final int CAPACITY = 2000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Deque<String> lines = new ArrayDeque<>();
    private volatile EngineListener forward = e -> { };

    void forwardTo(EngineListener listener) {
        forward = listener;
    }

    void note(Instant time, String text) {
        add(TIME.format(time) + " " + text);
    }

    @Override
    public void onEvent(EngineEvent event) {
        String text = describe(event);
        if (text != null) {
            note(event.time(), text);
        }
        forward.onEvent(event);
    }

    /** One line for an event, or null for events that are not log material (counters). */
    static String describe(EngineEvent event) {
        return switch (event) {
            case EngineEvent.Log l -> l.level() + " " + l.message();
            case EngineEvent.Instance i -> i.info().commonName() + " " + i.change().name().toLowerCase(java.util.Locale.ROOT)
                    + " from " + i.info().realAddress() + (i.info().virtualAddresses().isEmpty() ? ""
                    : " as " + String.join(", ", i.info().virtualAddresses())) + (i.detail().isEmpty() ? "" : " (" + i.detail() + ")");
            case EngineEvent.StateChanged s -> s.state() + (s.error() == null ? "" : " " + s.error()) + (s.detail().isEmpty() ? ""
                    : ": " + s.detail());
            case EngineEvent.Traffic t -> null;
            case EngineEvent.Connected c -> null;
            case EngineEvent.NoAnswer n -> null; // a client's event; its log line says it
        };
    }

    private synchronized void add(String line) {
        lines.addLast(line);
        while (lines.size() > CAPACITY) {
            lines.removeFirst();
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
