package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client runner says and shows: its state, the tunnel it holds, and every event to the
 * {@link EngineListener}, each log line to SLF4J too (under {@link ClientRunner}'s name). The session thread writes
 * (every listener callback runs on it); any thread reads the volatile state, tunnel and device.
 */
final class RunnerStatus {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);

    private final EngineListener listener;
    private final InstantSource clock;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile ConnectionInfo info;
    /** The tunnel device's name while one is up, for {@link NetworkWatch} to tell the tunnel's routes apart. */
    private volatile String tunnelDevice;

    RunnerStatus(EngineListener listener, InstantSource clock) {
        this.listener = listener;
        this.clock = clock;
    }

    ConnectionState state() {
        return state;
    }

    /** The tunnel as last announced, or null while there is none. */
    ConnectionInfo info() {
        return info;
    }

    void info(ConnectionInfo ci) {
        this.info = ci;
    }

    String tunnelDevice() {
        return tunnelDevice;
    }

    void tunnelDevice(String dev) {
        this.tunnelDevice = dev;
    }

    /** The tunnel is gone: no info, no device. */
    void tunnelDown() {
        info = null;
        tunnelDevice = null;
    }

    void state(ConnectionState s, ErrorKind error, String detail) {
        state = s;
        LOG.info("State {}{}", s, detail.isEmpty() ? "" : " (" + detail + ")");
        listener.onEvent(new EngineEvent.StateChanged(clock.instant(), s, error, detail));
    }

    void log(EngineEvent.Level level, String message) {
        switch (level) {
            case ERROR -> LOG.error(message);
            case WARN -> LOG.warn(message);
            case DEBUG -> LOG.debug(message);
            default -> LOG.info(message);
        }
        listener.onEvent(new EngineEvent.Log(clock.instant(), level, message));
    }

    void warn(String message) {
        log(EngineEvent.Level.WARN, message);
    }

    void note(String message) {
        log(EngineEvent.Level.INFO, message);
    }

    /** Any other event (traffic, connected, no answer) to the listener. */
    void event(EngineEvent e) {
        listener.onEvent(e);
    }
}
