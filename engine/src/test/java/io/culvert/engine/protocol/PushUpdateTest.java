package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushUpdateTest {

    @Test
    void parsesWhatA27ServerSendsForTheManagementExample() throws Exception {
        // push-update-broad "route 10.9.0.0 255.255.255.0, -dns" becomes this control message in 2.7's forge_msg.
        PushUpdate u = PushUpdate.parse("PUSH_UPDATE,route 10.9.0.0 255.255.255.0, -dns");
        assertEquals(0, u.continuation());
        assertTrue(u.isComplete());
        assertEquals(2, u.items().size());
        PushUpdate.Item route = u.items().get(0);
        assertEquals(List.of("route", "10.9.0.0", "255.255.255.0"), route.words());
        assertFalse(route.remove());
        assertFalse(route.optional());
        assertTrue(route.updatable());
        PushUpdate.Item dns = u.items().get(1);
        assertEquals(List.of("dns"), dns.words());
        assertTrue(dns.remove());
        assertEquals("-dns", dns.text());
    }

    @Test
    void roundTripsPrefixesQuotesAndTheContinuationMarker() throws Exception {
        List<PushUpdate.Item> items = List.of(
                new PushUpdate.Item(List.of("route-ipv6", "2001:db8::/64"), false, false),
                new PushUpdate.Item(List.of("redirect-gateway"), true, true),
                new PushUpdate.Item(List.of("dhcp-option", "DOMAIN", "a b"), false, true));
        for (int c = 0; c <= 2; c++) {
            PushUpdate u = new PushUpdate(items, c);
            String msg = u.toMessage();
            assertEquals(u, PushUpdate.parse(msg), msg);
        }
        assertEquals("PUSH_UPDATE,route-ipv6 2001:db8::/64,-?redirect-gateway,?dhcp-option DOMAIN \"a b\",push-continuation 2",
                new PushUpdate(items, 2).toMessage());
    }

    @Test
    void anEmptyUpdateIsWellFormed() throws Exception {
        assertEquals(List.of(), PushUpdate.parse("PUSH_UPDATE").items());
        assertEquals(List.of(), PushUpdate.parse("PUSH_UPDATE,").items());
    }

    @Test
    void keepsOptionsAnUpdateMayNotCarryButSaysSo() throws Exception {
        PushUpdate u = PushUpdate.parse("PUSH_UPDATE,cipher AES-128-GCM,?peer-id 3");
        assertFalse(u.items().get(0).updatable());
        assertFalse(u.items().get(1).updatable());
        assertTrue(u.items().get(1).optional());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PUSH_REPLY,route 10.0.0.0 255.0.0.0",
        "PUSH_UPDATEX,route 10.0.0.0",
        "PUSH_UPDATE,-",
        "PUSH_UPDATE,?",
        "PUSH_UPDATE,?-route",
        "PUSH_UPDATE,- route",
        "PUSH_UPDATE,-route 10.0.0.0 255.0.0.0",
        "PUSH_UPDATE,route \"10.0.0.0",
        "PUSH_UPDATE,route 10.0.0.0\u0001",
        "PUSH_UPDATE,route 10.0.0.0,push-continuation 3",
        "PUSH_UPDATE,route 10.0.0.0,push-continuation",
        "PUSH_UPDATE,route 10.0.0.0,-push-continuation 1",
    })
    void refusesMalformedMessagesWithAReason(String msg) {
        PushUpdate.MalformedUpdateException e = assertThrows(PushUpdate.MalformedUpdateException.class, () -> PushUpdate.parse(msg));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void theReasonNamesTheProblem() {
        assertEquals("a removal takes no arguments: '-route 10.0.0.0 255.0.0.0'", assertThrows(
                PushUpdate.MalformedUpdateException.class,
                () -> PushUpdate.parse("PUSH_UPDATE,-route 10.0.0.0 255.0.0.0")).getMessage());
        assertEquals("not a PUSH_UPDATE message", assertThrows(PushUpdate.MalformedUpdateException.class,
                () -> PushUpdate.parse("PUSH_REPLY,ping 10")).getMessage());
    }

    @Test
    void splitsLongUpdatesLikeA27ServerAndTheyJoinAgain() throws Exception {
        List<PushUpdate.Item> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(new PushUpdate.Item(List.of("route", "10." + i + ".0.0", "255.255.0.0"), false, false));
        }
        List<PushUpdate> parts = PushUpdate.split(items);
        assertTrue(parts.size() > 1);
        List<PushUpdate.Item> joined = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String msg = parts.get(i).toMessage();
            assertTrue(msg.length() < PushReply.BUNDLE_SIZE, () -> msg.length() + ": " + msg);
            PushUpdate back = PushUpdate.parse(msg);
            assertEquals(i == parts.size() - 1 ? 1 : 2, back.continuation());
            joined.addAll(back.items());
        }
        assertEquals(items, joined);
        assertEquals(0, PushUpdate.split(items.subList(0, 3)).getFirst().continuation());
    }

    @Test
    void refusesToSplitNothingOrAnOversizedOption() {
        assertThrows(IllegalArgumentException.class, () -> PushUpdate.split(List.of()));
        assertThrows(IllegalArgumentException.class, () -> PushUpdate.split(
                List.of(new PushUpdate.Item(List.of("dhcp-option", "DOMAIN", "x".repeat(1000)), false, false))));
    }

    @Test
    void managementOptionsTakeTheSameRules() throws Exception {
        assertEquals(List.of(new PushUpdate.Item(List.of("route", "10.9.0.0", "255.255.255.0"), false, false),
                new PushUpdate.Item(List.of("dns"), true, false)),
                PushUpdate.parseOptions("route 10.9.0.0 255.255.255.0, -dns"));
        assertThrows(PushUpdate.MalformedUpdateException.class, () -> PushUpdate.parseOptions("route 1.2.3.4, ?-dns"));
    }
}
