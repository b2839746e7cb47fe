package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.DropReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushReplyTest {

    private static final String CAPTURED = Capture.decodedControlMessages("udp-none-aes256gcm").getFirst();

    @Test
    void parsesTheCapturedPushReply() {
        assertTrue(CAPTURED.startsWith("PUSH_REPLY,route-gateway"));
        PushReply r = PushReply.parse(CAPTURED).value();
        assertEquals(0, r.continuation());
        assertTrue(r.isComplete());
        assertEquals(List.of(
                List.of("route-gateway", "10.98.0.1"),
                List.of("topology", "subnet"),
                List.of("ping", "10"),
                List.of("ping-restart", "60"),
                List.of("ifconfig", "10.98.0.2", "255.255.255.0"),
                List.of("peer-id", "0"),
                List.of("cipher", "AES-256-GCM"),
                List.of("protocol-flags", "cc-exit", "tls-ekm", "dyn-tls-crypt"),
                List.of("tun-mtu", "1500")), r.options());
        assertEquals(List.of("peer-id", "0"), r.find("peer-id").orElseThrow());
        assertTrue(r.find("route").isEmpty());
        assertEquals(CAPTURED, r.toMessage());
    }

    @Test
    void tokenisesQuotesAndEscapesLikeTheConfigFile() {
        PushReply r = PushReply.parse(
                "PUSH_REPLY,setenv-safe X \"a b\\\" \\\\c\",echo 'lit \\ eral' tail,dhcp-option  DOMAIN\texample.org ,x a\\ b").value();
        assertEquals(List.of("setenv-safe", "X", "a b\" \\c"), r.options().get(0));
        assertEquals(List.of("echo", "lit \\ eral", "tail"), r.options().get(1));
        assertEquals(List.of("dhcp-option", "DOMAIN", "example.org"), r.options().get(2));
        assertEquals(List.of("x", "a b"), r.options().get(3));
    }

    @Test
    void quotesWordsOnOutputSoTheyParseBack() {
        var r = new PushReply(List.of(List.of("echo", "two words", "q\"uote", "back\\slash", "", "#hash")), 0);
        String msg = r.toMessage();
        assertEquals("PUSH_REPLY,echo \"two words\" \"q\\\"uote\" \"back\\\\slash\" \"\" \"#hash\"", msg);
        assertEquals(r, PushReply.parse(msg).value());
    }

    @Test
    void readsAndRemovesContinuationMarkers() {
        PushReply more = PushReply.parse("PUSH_REPLY,route 10.0.0.0 255.0.0.0,push-continuation 2").value();
        assertEquals(2, more.continuation());
        assertFalse(more.isComplete());
        assertEquals(List.of(List.of("route", "10.0.0.0", "255.0.0.0")), more.options());
        PushReply last = PushReply.parse("PUSH_REPLY,ping 10,push-continuation 1").value();
        assertEquals(1, last.continuation());
        assertTrue(last.isComplete());
        assertEquals("PUSH_REPLY,ping 10,push-continuation 1", last.toMessage());
    }

    @Test
    void acceptsAnEmptyReplyAndSkipsEmptyOptions() {
        assertEquals(List.of(), PushReply.parse("PUSH_REPLY").value().options());
        assertEquals(List.of(List.of("ping", "5")), PushReply.parse("PUSH_REPLY,,ping 5, ,").value().options());
        assertEquals("PUSH_REPLY", new PushReply(List.of(), 0).toMessage());
    }

    @Test
    void rejectsOtherMessagesAndBadSyntax() {
        assertEquals(DropReason.MALFORMED, PushReply.parse("PUSH_REQUEST").reason());
        assertEquals(DropReason.MALFORMED, PushReply.parse("PUSH_REPLYX,ping 1").reason());
        assertEquals(DropReason.MALFORMED, PushReply.parse("AUTH_FAILED").reason());
        assertEquals(DropReason.MALFORMED, PushReply.parse("PUSH_REPLY,echo \"open").reason());
        assertEquals(DropReason.MALFORMED, PushReply.parse("PUSH_REPLY,echo 'open").reason());
        assertEquals(DropReason.MALFORMED, PushReply.parse("PUSH_REPLY,push-continuation 3").reason());
        assertEquals(DropReason.MALFORMED, PushReply.parse("PUSH_REPLY,push-continuation").reason());
    }

    @Test
    void rejectsCommasInOptionsWhenBuilding() {
        assertThrows(IllegalArgumentException.class, () -> new PushReply(List.of(List.of("echo", "a,b")), 0));
        assertThrows(IllegalArgumentException.class, () -> new PushReply(List.of(List.of()), 0));
        assertThrows(IllegalArgumentException.class, () -> new PushReply(List.of(), 3));
    }

    @Test
    void shortReplyIsOneMessageWithoutMarker() {
        List<PushReply> parts = PushReply.split(PushReply.parse(CAPTURED).value().options());
        assertEquals(1, parts.size());
        assertEquals(CAPTURED, parts.getFirst().toMessage());
    }

    @Test
    void splitsLongRepliesWithContinuationMarkers() {
        List<List<String>> options = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            options.add(List.of("route", "10." + i + ".0.0", "255.255.0.0"));
        }
        List<PushReply> parts = PushReply.split(options);
        assertTrue(parts.size() >= 5, "parts: " + parts.size());
        for (int i = 0; i < parts.size(); i++) {
            String msg = parts.get(i).toMessage();
            assertTrue(msg.length() <= PushReply.BUNDLE_SIZE, "part " + i + " is " + msg.length());
            assertTrue(msg.endsWith(i == parts.size() - 1 ? ",push-continuation 1" : ",push-continuation 2"));
            assertEquals(parts.get(i), PushReply.parse(msg).value());
        }
        String first = parts.getFirst().toMessage();
        int withoutMarker = first.length() - ",push-continuation 2".length();
        assertTrue(withoutMarker <= 1024 - 84);
        assertTrue(withoutMarker + ",route 10.99.0.0 255.255.0.0".length() > 1024 - 84 - 2, "parts are filled");
        assertEquals(new PushReply(options, 0), PushReply.merge(parts));
    }
}
