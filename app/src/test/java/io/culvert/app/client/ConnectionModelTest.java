package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.culvert.app.client.ConnectionModel.Phase;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client face's connection state from user actions and engine events, without the FX toolkit. */
class ConnectionModelTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final ConnectionModel m = new ConnectionModel();

    private void state(ConnectionState s, ErrorKind error, int second) {
        m.onEvent(new EngineEvent.StateChanged(T0.plusSeconds(second), s, error, error == null ? "" : "detail of " + error));
    }

    private void walkToConnected() {
        for (ConnectionState s : List.of(ConnectionState.CONNECTING, ConnectionState.WAIT, ConnectionState.AUTH,
                ConnectionState.GET_CONFIG, ConnectionState.ASSIGN_IP, ConnectionState.ADD_ROUTES)) {
            state(s, null, 0);
            assertEquals(Phase.CONNECTING, m.phase(), s.name());
        }
        m.onEvent(new EngineEvent.Connected(T0.plusSeconds(1), ConnectionInfo.builder("127.0.0.1:1194/udp").device("tun0")
                .ipv4("10.8.0.2/24").cipher("AES-256-GCM").tls("TLSv1.3").build()));
        state(ConnectionState.CONNECTED, null, 1);
    }

    /** The status shows the selected profile's connection only; a rename keeps the connection with its profile. */
    @Test
    void aRenamedProfileKeepsItsConnection() {
        m.starting("office");
        m.renamed("home", "cottage");
        assertEquals("office", m.profileProperty().get());
        m.renamed("office", "work");
        assertEquals("work", m.profileProperty().get());
    }

    @Test
    void connectWalksThroughTheEngineStatesToConnectedAndBackToIdle() {
        List<Phase> phases = new ArrayList<>();
        m.phaseProperty().addListener((o, a, b) -> phases.add(b));
        m.starting("office");
        walkToConnected();
        assertEquals(Phase.CONNECTED, m.phase());
        assertEquals("10.8.0.2/24", m.infoProperty().get().ipv4());
        assertEquals(T0.plusSeconds(1), m.connectedSinceProperty().get());

        m.stopping();
        state(ConnectionState.EXITING, null, 5);
        state(ConnectionState.DISCONNECTED, null, 5);
        assertEquals(List.of(Phase.CONNECTING, Phase.CONNECTED, Phase.DISCONNECTING, Phase.IDLE), phases);
        assertNull(m.infoProperty().get());
        assertNull(m.failureProperty().get());
    }

    @Test
    void unansweredHandshakeIsHeldUntilTheServerAnswers() {
        m.starting("office");
        state(ConnectionState.CONNECTING, null, 0);
        state(ConnectionState.WAIT, null, 0);
        m.onEvent(new EngineEvent.NoAnswer(T0.plusSeconds(2), "192.0.2.1:1194/udp", 2, java.time.Duration.ofSeconds(2)));
        assertEquals(2, m.noAnswerProperty().get().handshakePackets());
        m.onEvent(new EngineEvent.NoAnswer(T0.plusSeconds(6), "192.0.2.1:1194/udp", 3, java.time.Duration.ofSeconds(6)));
        assertEquals(3, m.noAnswerProperty().get().handshakePackets());
        state(ConnectionState.AUTH, null, 7);
        assertNull(m.noAnswerProperty().get());
    }

    @Test
    void aReconnectWithoutAnErrorKeepsTheEnginesReasonUntilConnected() {
        m.starting("office");
        walkToConnected();
        String why = "network changed: route to 192.0.2.1 now via wlan0 gateway 192.168.1.1";
        m.onEvent(new EngineEvent.StateChanged(T0.plusSeconds(5), ConnectionState.RECONNECTING, null, why));
        assertEquals(why, m.reconnectReasonProperty().get());
        assertNull(m.retryingProperty().get());
        assertEquals(Phase.CONNECTING, m.phase());
        state(ConnectionState.CONNECTING, null, 5);
        state(ConnectionState.WAIT, null, 5);
        assertEquals(why, m.reconnectReasonProperty().get());
        state(ConnectionState.CONNECTED, null, 6);
        assertNull(m.reconnectReasonProperty().get());
    }

    @Test
    void haltingErrorEndsInFailedWithTheKindAndDetail() {
        m.starting("office");
        state(ConnectionState.CONNECTING, null, 0);
        state(ConnectionState.AUTH, null, 0);
        state(ConnectionState.EXITING, ErrorKind.AUTH_FAILED, 1);
        state(ConnectionState.DISCONNECTED, null, 1);
        assertEquals(Phase.FAILED, m.phase());
        assertEquals(new ConnectionModel.Failure(ErrorKind.AUTH_FAILED, "detail of AUTH_FAILED"), m.failureProperty().get());
    }

    @Test
    void retryableErrorShowsAsRetryingUntilConnected() {
        m.starting("office");
        state(ConnectionState.CONNECTING, null, 0);
        state(ConnectionState.RECONNECTING, ErrorKind.CONNECTION_REFUSED, 1);
        assertEquals(Phase.CONNECTING, m.phase());
        assertEquals(ErrorKind.CONNECTION_REFUSED, m.retryingProperty().get().kind());
        walkToConnected();
        assertEquals(Phase.CONNECTED, m.phase());
        assertNull(m.retryingProperty().get());
        assertNull(m.failureProperty().get());
    }

    @Test
    void userStopWhileRetryingIsNotAFailure() {
        m.starting("office");
        state(ConnectionState.RECONNECTING, ErrorKind.NETWORK_UNREACHABLE, 1);
        m.stopping();
        assertEquals(Phase.DISCONNECTING, m.phase());
        state(ConnectionState.DISCONNECTED, null, 2);
        assertEquals(Phase.IDLE, m.phase());
        assertNull(m.failureProperty().get());
    }

    @Test
    void startFailureAndCancelledLogin() {
        m.starting("office");
        m.startFailed(ErrorKind.CONFIG_INVALID, "line 3: bad");
        assertEquals(Phase.FAILED, m.phase());
        m.starting("office");
        assertNull(m.failureProperty().get());
        m.cancelled();
        assertEquals(Phase.IDLE, m.phase());
    }

    @Test
    void trafficEventsFeedTotalsAndRates() {
        m.starting("office");
        walkToConnected();
        m.onEvent(new EngineEvent.Traffic(T0.plusSeconds(2), stats(1000, 500)));
        assertNull(m.lastSampleProperty().get());
        m.onEvent(new EngineEvent.Traffic(T0.plusSeconds(3), stats(3048, 1524)));
        assertEquals(2048, m.lastSampleProperty().get().inPerSecond());
        assertEquals(1024, m.lastSampleProperty().get().outPerSecond());
        assertEquals(3048, m.totalsProperty().get().tunBytesIn());
        m.onEvent(new EngineEvent.Log(T0, EngineEvent.Level.INFO, "hello"));
        assertEquals(1, m.log().all().size());
    }

    @Test
    void newAttemptClearsTheLastOne() {
        m.starting("office");
        walkToConnected();
        m.onEvent(new EngineEvent.Traffic(T0.plusSeconds(2), stats(1, 1)));
        m.stopping();
        state(ConnectionState.DISCONNECTED, null, 3);
        m.starting("home");
        assertEquals("home", m.profileProperty().get());
        assertNull(m.totalsProperty().get());
        assertEquals(List.of(), m.history().samples());
        assertNotNull(m.stateProperty().get());
    }

    @Test
    void progressRisesThroughTheConnectingStates() {
        double last = 0;
        for (ConnectionState s : List.of(ConnectionState.CONNECTING, ConnectionState.WAIT, ConnectionState.AUTH,
                ConnectionState.GET_CONFIG, ConnectionState.ASSIGN_IP, ConnectionState.ADD_ROUTES, ConnectionState.CONNECTED)) {
            double p = ConnectionModel.progress(s);
            assertEquals(true, p > last, s.name());
            last = p;
        }
        assertEquals(1.0, last);
        assertEquals(-1.0, ConnectionModel.progress(ConnectionState.RECONNECTING));
    }

    static TrafficStats stats(long in, long out) {
        return TrafficStats.builder().tunBytes(in, out).build();
    }
}
