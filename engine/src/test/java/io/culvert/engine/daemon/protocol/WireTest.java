package io.culvert.engine.daemon.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
    private static final Instant T = Instant.parse("2025-01-02T03:04:05.678Z");

    private static EngineEvent viaJson(EngineEvent e) throws JsonException {
        return Wire.event(Json.parseObject(Json.write(Wire.event(e)), JsonLimits.PROTOCOL));
    }

    @Test
    void everyEventKindSurvivesTheWire() throws JsonException {
        InstanceInfo inst = InstanceInfo.builder(3, "alice").realAddress("192.0.2.1:1194")
                .virtualAddresses(List.of("10.8.0.2")).cipher("AES-256-GCM").connectedSince(T).bytes(1, 2).packets(3, 4)
                .build();
        List<EngineEvent> events = List.of(
                new EngineEvent.StateChanged(T, ConnectionState.RECONNECTING, ErrorKind.KEEPALIVE_TIMEOUT, "no ping"),
                new EngineEvent.StateChanged(T, ConnectionState.CONNECTED, null, ""),
                new EngineEvent.Traffic(T, TrafficStats.builder().tunBytes(1, 2).tunPackets(3, 4).linkBytes(5, 6).drops(Map.of("REPLAY", 7L)).build()),
                new EngineEvent.Log(T, EngineEvent.Level.WARN, "line"),
                new EngineEvent.Connected(T, ConnectionInfo.builder("10.0.0.1:1194/udp").device("tun0").ipv4("10.8.0.2/24")
                        .cipher("AES-256-GCM").tls("TLSv1.3").routes(List.of("10.9.0.0/16")).dns(List.of("10.8.0.1"))
                        .build()),
                new EngineEvent.Connected(T, ConnectionInfo.builder("10.0.0.1:1194/udp").device("tun0").ipv4("10.8.0.2/24")
                        .cipher("AES-256-GCM").tls("TLSv1.3").failedRoutes(List.of(
                                new ConnectionInfo.FailedRoute("10.8.0.0/24 via 10.8.0.1 dev tun0",
                                        "RTNETLINK answers: File exists", true),
                                new ConnectionInfo.FailedRoute("route 10.9.0.0 255.0.0.0 net_gateway",
                                        "no route to 192.0.2.1", false))).build()),
                new EngineEvent.NoAnswer(T, "10.0.0.1:1194/udp", 3, java.time.Duration.ofMillis(6012)),
                new EngineEvent.Instance(T, EngineEvent.InstanceChange.CONNECTED, inst, ""));
        for (EngineEvent e : events) {
            assertEquals(e, viaJson(e));
        }
    }

    @Test
    void stateEventHasTheDocumentedShape() {
        assertEquals("{\"kind\":\"state\",\"state\":\"CONNECTED\",\"error\":null,\"detail\":\"\",\"time\":\"2025-01-02T03:04:05.678Z\"}",
                Json.write(Wire.event(new EngineEvent.StateChanged(T, ConnectionState.CONNECTED, null, ""))));
    }

    @Test
    void flowEdgesSurviveTheWire() throws JsonException {
        FlowEdge f = new FlowEdge(FlowEdge.SERVER, 4, FlowEdge.Kind.BROADCAST, 9, 900);
        assertEquals(f, Wire.flow(Json.parseObject(Json.write(Wire.flow(f)), JsonLimits.PROTOCOL)));
    }

    @Test
    void unknownKindsAndBadTimesAreRefused() {
        assertThrows(JsonException.class, () -> Wire.event(Map.of("kind", "bogus", "time", T.toString())));
        assertThrows(JsonException.class, () -> Wire.event(Map.of("kind", "log", "time", "yesterday", "level", "INFO", "message", "")));
        assertThrows(JsonException.class, () -> Wire.event(Map.of("kind", "log", "time", T.toString(), "level", "LOUD", "message", "")));
    }
}
