package io.culvert.app.client;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The state of one connection attempt as the client face shows it, driven by what the user asked and by the
 * engine's events. Pure state (JavaFX properties, no toolkit needed); used on the FX thread only.
 */
final class ConnectionModel {

    /** What the one big button and the status area show. */
    enum Phase {
        /** Nothing running; the button connects. */
        IDLE,
        /** Starting, asking for the login, or working through the engine's states; the button cancels. */
        CONNECTING,
        /** Tunnel up; the button disconnects. */
        CONNECTED,
        /** The user asked to stop; waiting for the engine to clean up. */
        DISCONNECTING,
        /** The last attempt ended in an error the user should read; the button connects again. */
        FAILED
    }

    /** A failure: its kind and the technical detail behind it. */
    record Failure(ErrorKind kind, String detail) {}

    static final int HISTORY_SECONDS = 300;

    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(Phase.IDLE);
    private final ReadOnlyObjectWrapper<ConnectionState> state = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Failure> failure = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Failure> retrying = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<EngineEvent.NoAnswer> noAnswer = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper reconnectReason = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<ConnectionInfo> info = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Instant> connectedSince = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<TrafficStats> totals = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper profile = new ReadOnlyStringWrapper();
    private final ObjectProperty<TrafficHistory.Sample> lastSample = new SimpleObjectProperty<>();
    private final TrafficHistory history = new TrafficHistory(HISTORY_SECONDS);
    private final LogModel log = new LogModel();
    private boolean stopRequested;
    private Failure lastError;

    /** The user pressed Connect for {@code profileName}. */
    void starting(String profileName) {
        stopRequested = false;
        lastError = null;
        failure.set(null);
        retrying.set(null);
        noAnswer.set(null);
        reconnectReason.set(null);
        info.set(null);
        connectedSince.set(null);
        totals.set(null);
        history.clear();
        lastSample.set(null);
        profile.set(profileName);
        state.set(ConnectionState.CONNECTING);
        phase.set(Phase.CONNECTING);
    }

    /** The profile {@code from} of the current or last attempt is now called {@code to}: its status stays with it. */
    void renamed(String from, String to) {
        if (from.equals(profile.get())) {
            profile.set(to);
        }
    }

    /** The user pressed Disconnect or Cancel. */
    void stopping() {
        stopRequested = true;
        if (phase.get() == Phase.CONNECTING || phase.get() == Phase.CONNECTED) {
            phase.set(Phase.DISCONNECTING);
        }
    }

    /** The engine could not start the client (bad profile, login refused or cancelled ...). */
    void startFailed(ErrorKind kind, String detail) {
        fail(new Failure(kind, detail));
    }

    /** The user cancelled the login prompt: back to idle, no error. */
    void cancelled() {
        state.set(ConnectionState.DISCONNECTED);
        phase.set(Phase.IDLE);
    }

    void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.StateChanged s -> onState(s);
            case EngineEvent.Connected c -> info.set(c.info());
            case EngineEvent.Traffic t -> {
                lastSample.set(history.add(t.time(), t.stats()));
                totals.set(t.stats());
            }
            case EngineEvent.Log l -> log.add(l.time(), l.level(), l.message());
            case EngineEvent.NoAnswer n -> noAnswer.set(n);
            case EngineEvent.Instance i -> { }
        }
    }

    private void onState(EngineEvent.StateChanged s) {
        state.set(s.state());
        if (s.error() != null) {
            lastError = new Failure(s.error(), s.detail());
        }
        if (s.state() != ConnectionState.WAIT) {
            noAnswer.set(null); // answered, or a new attempt that counts afresh
        }
        switch (s.state()) {
            case CONNECTED -> {
                reconnectReason.set(null);
                retrying.set(null);
                connectedSince.set(s.time());
                phase.set(stopRequested ? Phase.DISCONNECTING : Phase.CONNECTED);
            }
            case RECONNECTING -> {
                info.set(null);
                connectedSince.set(null);
                retrying.set(lastError);
                // a reconnect without an error (network change, request): the engine's words say why
                reconnectReason.set(s.error() == null && !s.detail().isBlank() ? s.detail() : null);
                if (!stopRequested) {
                    phase.set(Phase.CONNECTING);
                }
            }
            case EXITING -> {
                if (!stopRequested && s.error() == null) {
                    phase.set(Phase.DISCONNECTING);
                }
            }
            case DISCONNECTED -> {
                info.set(null);
                connectedSince.set(null);
                retrying.set(null);
                reconnectReason.set(null);
                if (!stopRequested && lastError != null) {
                    fail(lastError);
                } else {
                    phase.set(Phase.IDLE);
                }
            }
            default -> {
                if (!stopRequested && phase.get() != Phase.CONNECTED) {
                    phase.set(Phase.CONNECTING);
                }
            }
        }
    }

    private void fail(Failure f) {
        failure.set(f);
        noAnswer.set(null);
        reconnectReason.set(null);
        info.set(null);
        connectedSince.set(null);
        retrying.set(null);
        state.set(ConnectionState.DISCONNECTED);
        phase.set(Phase.FAILED);
    }

    /** How far along the connecting states the engine is, 0..1; 1 when connected. */
    static double progress(ConnectionState s) {
        if (s == null) {
            return 0;
        }
        return switch (s) {
            case CONNECTING -> 0.1;
            case WAIT -> 0.25;
            case AUTH -> 0.45;
            case GET_CONFIG -> 0.65;
            case ASSIGN_IP -> 0.8;
            case ADD_ROUTES -> 0.9;
            case CONNECTED -> 1;
            case RECONNECTING, EXITING, DISCONNECTED -> -1;
        };
    }

    ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    Phase phase() {
        return phase.get();
    }

    ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<Failure> failureProperty() {
        return failure.getReadOnlyProperty();
    }

    /** The error the engine is retrying after, or null. */
    ReadOnlyObjectProperty<Failure> retryingProperty() {
        return retrying.getReadOnlyProperty();
    }

    /** Handshake packets the server has not answered in the current attempt (UDP), or null. */
    ReadOnlyObjectProperty<EngineEvent.NoAnswer> noAnswerProperty() {
        return noAnswer.getReadOnlyProperty();
    }

    /** Why the engine reconnects when no error caused it (e.g. "network changed: …"), or null. */
    ReadOnlyStringProperty reconnectReasonProperty() {
        return reconnectReason.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<ConnectionInfo> infoProperty() {
        return info.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<Instant> connectedSinceProperty() {
        return connectedSince.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<TrafficStats> totalsProperty() {
        return totals.getReadOnlyProperty();
    }

    /** The profile of the current or last attempt. */
    ReadOnlyStringProperty profileProperty() {
        return profile.getReadOnlyProperty();
    }

    /** The newest rate sample (null after the first counter update); the chart appends it. */
    ObjectProperty<TrafficHistory.Sample> lastSampleProperty() {
        return lastSample;
    }

    TrafficHistory history() {
        return history;
    }

    LogModel log() {
        return log;
    }
}
