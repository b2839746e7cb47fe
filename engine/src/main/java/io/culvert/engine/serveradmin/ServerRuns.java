package io.culvert.engine.serveradmin;

import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.store.StoredServer;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running managed servers and each server's log: starting through the {@link Engine}, stopping, and handing a
 * running server the files changed under it. Starting and stopping are serialised by {@link LocalServerAdmin};
 * {@link #running} and {@link #lines} may be called from any thread.
 */
final class ServerRuns {
    private final Engine engine;
    private final ServerFiles files;
    private final InstantSource clock;
    private final Map<String, ServerHandle> running = new ConcurrentHashMap<>();
    private final Map<String, ServerLog> logs = new ConcurrentHashMap<>();

    ServerRuns(Engine engine, ServerFiles files, InstantSource clock) {
        this.engine = engine;
        this.files = files;
        this.clock = clock;
    }

    /** Starts {@code server} unless it runs already; either way its log now goes to {@code listener} as well. */
    ServerHandle start(String server, EngineListener listener) throws EngineException {
        ServerLog log = logs.computeIfAbsent(server, n -> new ServerLog());
        log.forwardTo(listener);
        Optional<ServerHandle> already = running(server);
        return already.isPresent() ? already.get() : startWith(server, log);
    }

    /** Starts {@code server}, which is not running, from its stored config, writing to {@code log}. */
    ServerHandle startWith(String server, ServerLog log) throws EngineException {
        StoredServer s = files.stored(server);
        files.writeCcdFiles(s);
        ServerHandle handle;
        try {
            handle = engine.startServer(s.configText(), files.dir(server), log);
        } catch (EngineException e) {
            log.note(clock.instant(), "failed to start: " + e.getMessage());
            throw e;
        }
        running.put(server, handle);
        log.note(clock.instant(), "listening on " + handle.listenAddress());
        return handle;
    }

    Optional<ServerHandle> running(String server) {
        ServerHandle h = running.get(server);
        try {
            if (h != null && h.awaitStopped(0)) {
                running.remove(server, h);
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(h);
    }

    void stop(String server) {
        ServerHandle h = running.remove(server);
        if (h == null) {
            return;
        }
        h.stop();
        try {
            h.awaitStopped(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        note(server, "stopped");
    }

    /** Stops every running server. */
    void stopAll() {
        for (String name : List.copyOf(running.keySet())) {
            stop(name);
        }
    }

    /** The lines of {@code server}'s log, oldest first; none when it has none. */
    List<String> lines(String server) {
        ServerLog log = logs.get(server);
        return log == null ? List.of() : log.lines();
    }

    /** {@code server}'s log, made when it has none. */
    ServerLog log(String server) {
        return logs.computeIfAbsent(server, n -> new ServerLog());
    }

    /** Adds a line to {@code server}'s log. */
    void note(String server, String text) {
        log(server).note(clock.instant(), text);
    }

    /** Drops the log of a deleted server. */
    void forget(String server) {
        logs.remove(server);
    }

    /** The log of {@code from}, now under {@code to}. */
    ServerLog renamed(String from, String to) {
        ServerLog log = logs.remove(from);
        if (log == null) {
            log = new ServerLog();
        }
        logs.put(to, log);
        return log;
    }

    /**
     * Hands a running server the files just changed here. An in-process server re-reads them itself; one in culvertd
     * runs from copies, which must be refreshed or it would keep admitting a revoked client.
     */
    void tellRunning(String server, ServerFileUpdate update, String what) throws EngineException {
        Optional<ServerHandle> h = running(server);
        if (h.isEmpty()) {
            return;
        }
        try {
            h.get().updateFiles(update);
        } catch (EngineException e) {
            note(server, "the running server did not get " + what + ": " + e.getMessage() + " (restart it to apply)");
            throw new EngineException(e.kind(), "saved, but the running server did not get " + what + ": " + e.getMessage()
                    + "; restart the server to apply it", e);
        }
    }
}
