package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.protocol.PushUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushedUpdateTest {
    private static final List<List<String>> PUSHED = List.of(
            List.of("route-gateway", "10.8.0.1"), List.of("topology", "subnet"), List.of("ping", "10"),
            List.of("ping-restart", "60"), List.of("route", "10.1.0.0", "255.255.0.0"), List.of("route", "10.2.0.0", "255.255.0.0"),
            List.of("dhcp-option", "DNS", "10.8.0.1"), List.of("ifconfig", "10.8.0.2", "255.255.255.0"),
            List.of("cipher", "AES-256-GCM"));

    private static PushedUpdate.Result apply(String msg) throws Exception {
        return PushedUpdate.apply(PUSHED, PushUpdate.parse(msg).items(), List.of(), false);
    }

    @Test
    void theFirstRouteOfAnUpdateReplacesAllPushedRoutesTheRestAdd() throws Exception {
        PushedUpdate.Result r = apply("PUSH_UPDATE,route 10.9.0.0 255.255.255.0,route 10.10.0.0 255.255.0.0");
        assertNull(r.refusal());
        assertEquals(List.of(List.of("route", "10.9.0.0", "255.255.255.0"), List.of("route", "10.10.0.0", "255.255.0.0")),
                r.options().stream().filter(o -> o.getFirst().equals("route")).toList());
        assertTrue(r.options().contains(List.of("cipher", "AES-256-GCM")), "what the update does not name stays");
        assertEquals(List.of("+route 10.9.0.0 255.255.255.0", "+route 10.10.0.0 255.255.0.0"), r.changes());
    }

    @Test
    void aRemovalTakesEveryOptionOfItsKind() throws Exception {
        PushedUpdate.Result r = apply("PUSH_UPDATE,-route,-dhcp-option");
        assertTrue(r.options().stream().noneMatch(o -> o.getFirst().equals("route") || o.getFirst().equals("dhcp-option")));
        assertEquals(List.of("-route", "-dhcp-option"), r.changes());
    }

    @Test
    void keepaliveSetsPingAndPingRestart() throws Exception {
        PushedUpdate.Result r = apply("PUSH_UPDATE,keepalive 5 30");
        assertTrue(r.options().contains(List.of("ping", "5")));
        assertTrue(r.options().contains(List.of("ping-restart", "30")));
        assertTrue(r.options().stream().noneMatch(o -> o.equals(List.of("ping", "10"))));
    }

    @Test
    void anOptionAnUpdateMayNotChangeRefusesTheWholeUpdateUnlessDispensable() throws Exception {
        PushedUpdate.Result refused = apply("PUSH_UPDATE,route 10.9.0.0 255.255.255.0,cipher AES-128-GCM");
        assertEquals("option 'cipher AES-128-GCM' is not updatable", refused.refusal());
        assertNull(refused.options());
        PushedUpdate.Result ok = apply("PUSH_UPDATE,route 10.9.0.0 255.255.255.0,?cipher AES-128-GCM");
        assertNull(ok.refusal());
        assertTrue(ok.options().contains(List.of("cipher", "AES-256-GCM")));
        assertEquals(1, ok.skipped().size());
    }

    @Test
    void pullFilterAndRouteNopullApplyAsToAReply() throws Exception {
        List<PushUpdate.Item> items = PushUpdate.parse("PUSH_UPDATE,route 10.9.0.0 255.255.255.0").items();
        PushedUpdate.Result nopull = PushedUpdate.apply(PUSHED, items, List.of(), true);
        assertEquals(PUSHED, nopull.options());
        PushedUpdate.Result rejected = PushedUpdate.apply(PUSHED, items, List.of(List.of("reject", "route 10.9")), false);
        assertTrue(rejected.refusal().contains("pull-filter"));
    }

    @Test
    void theUpdatedOptionsBuildAConfiguration() throws Exception {
        PushedConfig c = PushedConfig.from(apply("PUSH_UPDATE,route 10.9.0.0 255.255.255.0,-dhcp-option,dns server 0 address 10.8.0.53").options());
        assertEquals(List.of(List.of("10.9.0.0", "255.255.255.0")), c.routes());
        assertEquals(List.of(), c.dns());
        assertEquals(10, c.ping());
    }
}
