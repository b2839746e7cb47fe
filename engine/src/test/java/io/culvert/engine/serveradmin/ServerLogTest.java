package io.culvert.engine.serveradmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLogTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void describesInstanceEventsAndForwardsEveryEvent() {
        ServerLog log = new ServerLog();
        List<EngineEvent> seen = new ArrayList<>();
        log.forwardTo(seen::add);
        InstanceInfo info = InstanceInfo.builder(3, "alice").realAddress("127.0.0.1:40000")
                .virtualAddresses(List.of("10.8.0.2")).cipher("AES-256-GCM").connectedSince(T).build();
        log.onEvent(new EngineEvent.Instance(T, EngineEvent.InstanceChange.CONNECTED, info, ""));
        log.onEvent(new EngineEvent.Instance(T, EngineEvent.InstanceChange.KICKED, info, "kicked"));
        log.onEvent(new EngineEvent.Traffic(T, null));
        assertEquals(3, seen.size());
        List<String> lines = log.lines();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).endsWith("alice connected from 127.0.0.1:40000 as 10.8.0.2"), lines.get(0));
        assertTrue(lines.get(1).endsWith("alice kicked from 127.0.0.1:40000 as 10.8.0.2 (kicked)"), lines.get(1));
        assertNull(ServerLog.describe(new EngineEvent.Traffic(T, (TrafficStats) null)));
    }

    @Test
    void keepsOnlyTheNewestLines() {
        ServerLog log = new ServerLog();
        for (int i = 0; i < ServerLog.CAPACITY + 10; i++) {
            log.note(T, "line " + i);
        }
        List<String> lines = log.lines();
        assertEquals(ServerLog.CAPACITY, lines.size());
        assertTrue(lines.getFirst().endsWith("line 10"));
        assertTrue(lines.getLast().endsWith("line " + (ServerLog.CAPACITY + 9)));
    }
}
