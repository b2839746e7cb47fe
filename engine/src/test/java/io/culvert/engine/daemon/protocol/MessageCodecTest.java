package io.culvert.engine.daemon.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.daemon.protocol.MessageException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final Instant T = Instant.parse("2025-01-02T03:04:05.678Z");
    private static final String H = "c0123456789abcdef0123456789abcdef";
    private static final TrafficStats STATS = TrafficStats.builder().tunBytes(1, 2).tunPackets(3, 4).linkBytes(5, 6).drops(Map.of("REPLAY", 7L)).build();
    private static final ConnectionInfo INFO = ConnectionInfo.builder("10.0.0.1:1194/udp").device("tun0")
            .ipv4("10.8.0.2/24").cipher("AES-256-GCM").tls("TLSv1.3").routes(List.of("10.9.0.0/16"))
            .dns(List.of("10.8.0.1")).build();
    private static final InstanceInfo INSTANCE = InstanceInfo.builder(3, "alice").realAddress("192.0.2.1:1194")
            .virtualAddresses(List.of("10.8.0.2")).cipher("AES-256-GCM").connectedSince(T).bytes(1, 2).packets(3, 4)
            .build();

    /** One of every operation, each the request with id = its ordinal (so a client can tell how to read its result). */
    private static final List<Operation> OPERATIONS = List.of(
            new Operation.StartClient("client\nremote vpn.example 1194\n"),
            new Operation.Disconnect(H),
            new Operation.ClientStatus(H),
            new Operation.ListHandles(),
            new Operation.Watch(),
            new Operation.AnswerPrompt(4, Optional.of(new UserPass("bob", "s3cret"))),
            new Operation.AnswerPrompt(5, Optional.empty()),
            new Operation.StartServer("server 10.8.0.0 255.255.255.0\n", Map.of("alice", "ifconfig-push 10.8.0.9 255.255.255.0\n")),
            new Operation.StopServer(H),
            new Operation.ServerStatus(H),
            new Operation.Kick(H, 7),
            new Operation.UpdateServerFiles(H, new ServerFileUpdate("-----BEGIN X509 CRL-----\n", Map.of("bob", "push x\n"),
                    Set.of("carol"))),
            new Operation.UpdateServerFiles(H, ServerFileUpdate.crl("-----BEGIN X509 CRL-----\n")),
            new Operation.PushUpdate(H, -1, "route 10.99.0.0 255.255.255.0"));

    private static List<ToService> toService() {
        List<ToService> out = new ArrayList<>();
        out.add(new ToService.Hello(Protocol.VERSION, "culvert-app"));
        out.add(new ToService.Hello(99, null));
        for (Operation op : OPERATIONS) {
            out.add(new ToService.Request(out.size(), op));
        }
        return out;
    }

    /** Results, each as the response to a request of the operation that gives it. */
    private static final List<Map.Entry<Op, Result>> RESULTS = List.of(
            Map.entry(Op.START_CLIENT, new Result.ClientStarted(H, ConnectionState.CONNECTING)),
            Map.entry(Op.START_CLIENT, new Result.ClientStarted(H, null)),
            Map.entry(Op.START_SERVER, new Result.ServerStarted("s" + H.substring(1), "0.0.0.0:1194/udp")),
            Map.entry(Op.CLIENT_STATUS, new Result.ClientStatus(ConnectionState.CONNECTED, INFO, STATS)),
            Map.entry(Op.CLIENT_STATUS, new Result.ClientStatus(ConnectionState.CONNECTING, null, STATS)),
            Map.entry(Op.SERVER_STATUS, new Result.ServerStatus("0.0.0.0:1194/udp", List.of(INSTANCE),
                    List.of(new FlowEdge(FlowEdge.SERVER, 4, FlowEdge.Kind.BROADCAST, 9, 900)))),
            Map.entry(Op.LIST, new Result.Handles(List.of(
                    new Result.HandleEntry(H, Result.Kind.CLIENT, "bob", 1000, ConnectionState.CONNECTED, null),
                    new Result.HandleEntry("s" + H.substring(1), Result.Kind.SERVER, "ann", 1002, null, "0.0.0.0:1194/udp")))),
            Map.entry(Op.WATCH, new Result.Handles(List.of())),
            Map.entry(Op.PUSH_UPDATE, new Result.Sent(2)),
            Map.entry(Op.KICK, new Result.Done()));

    private static List<ToClient> toClient() {
        List<ToClient> out = new ArrayList<>();
        out.add(new ToClient.Welcome(Protocol.VERSION, "culvertd 1.0", "bob", 1000, "OPERATOR", 300_000));
        for (int i = 0; i < RESULTS.size(); i++) {
            out.add(new ToClient.Ok(i, RESULTS.get(i).getValue()));
        }
        out.add(new ToClient.Failed(3L, "NOT_FOUND", "no such handle"));
        out.add(new ToClient.Failed(null, "BAD_REQUEST", "a request needs an integer id"));
        out.add(new ToClient.Event(H, new EngineEvent.StateChanged(T, ConnectionState.RECONNECTING, ErrorKind.KEEPALIVE_TIMEOUT, "x")));
        out.add(new ToClient.Event(H, new EngineEvent.Traffic(T, STATS)));
        out.add(new ToClient.Event(H, new EngineEvent.Connected(T, INFO)));
        out.add(new ToClient.Event(H, new EngineEvent.Instance(T, EngineEvent.InstanceChange.CONNECTED, INSTANCE, "")));
        out.add(new ToClient.Stopped(H));
        out.add(new ToClient.Prompt(H, 1, 2, "Enter Auth Username"));
        out.add(new ToClient.Closing("IDLE", "closed after 300000 ms without a request"));
        return out;
    }

    /** The operation of request {@code id} in {@link #toClient()}: the one whose result the response carries. */
    private static final LongFunction<Op> PENDING = id -> id < RESULTS.size() ? RESULTS.get((int) id).getKey() : null;

    @Test
    void everyMessageToTheServiceSurvivesTheCodec() throws JsonException {
        for (ToService m : toService()) {
            assertEquals(m, MessageCodec.parseToService(MessageCodec.write(m)), MessageCodec.write(m));
        }
    }

    @Test
    void everyMessageToAClientSurvivesTheCodec() throws JsonException {
        for (ToClient m : toClient()) {
            assertEquals(m, MessageCodec.parseToClient(MessageCodec.write(m), PENDING), MessageCodec.write(m));
        }
    }

    /** A new message, operation or result without a case above fails here, not on the socket. */
    @Test
    void theRoundTripsCoverEveryPermittedRecord() {
        Set<String> covered = new TreeSet<>();
        for (ToService m : toService()) {
            covered.add(m.getClass().getName());
            if (m instanceof ToService.Request r) {
                covered.add(r.operation().getClass().getName());
            }
        }
        for (ToClient m : toClient()) {
            covered.add(m.getClass().getName());
            if (m instanceof ToClient.Ok ok) {
                covered.add(ok.result().getClass().getName());
            }
        }
        Set<String> permitted = new TreeSet<>();
        for (Class<?> root : List.of(ToService.class, ToClient.class, Operation.class, Result.class)) {
            leaves(root, permitted);
        }
        Set<String> missing = new TreeSet<>(permitted);
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "records with no round-trip case");
        assertTrue(permitted.size() >= 25, "the sealed sets were not enumerated: " + permitted);
        for (Op op : Op.values()) {
            assertTrue(OPERATIONS.stream().anyMatch(o -> o.op() == op), "no operation for " + op);
        }
    }

    private static void leaves(Class<?> c, Set<String> out) {
        if (c.isSealed()) {
            for (Class<?> sub : c.getPermittedSubclasses()) {
                leaves(sub, out);
            }
        } else {
            out.add(c.getName());
        }
    }

    // ---- the bytes on the socket (docs/protocol.md) ----------------------------------------------------------

    @Test
    void requestsHaveTheDocumentedShape() {
        assertEquals("{\"type\":\"hello\",\"version\":2,\"agent\":\"culvert-app\"}",
                MessageCodec.write(new ToService.Hello(2, "culvert-app")));
        assertEquals("{\"type\":\"request\",\"id\":7,\"op\":\"pushUpdate\",\"args\":{\"handle\":\"h\",\"peerId\":-1,\"options\":\"-route\"}}",
                MessageCodec.write(new ToService.Request(7, new Operation.PushUpdate("h", -1, "-route"))));
        assertEquals("{\"type\":\"request\",\"id\":1,\"op\":\"answerPrompt\",\"args\":{\"prompt\":3,\"cancel\":true}}",
                MessageCodec.write(new ToService.Request(1, new Operation.AnswerPrompt(3, Optional.empty()))));
        assertEquals("{\"type\":\"request\",\"id\":2,\"op\":\"list\",\"args\":{}}",
                MessageCodec.write(new ToService.Request(2, new Operation.ListHandles())));
        assertEquals("{\"type\":\"request\",\"id\":3,\"op\":\"updateServerFiles\",\"args\":{\"handle\":\"h\",\"ccdRemoved\":[\"bob\"]}}",
                MessageCodec.write(new ToService.Request(3, new Operation.UpdateServerFiles("h", ServerFileUpdate.ccdEntry("bob", "")))));
    }

    @Test
    void repliesHaveTheDocumentedShape() {
        assertEquals("{\"type\":\"hello\",\"version\":2,\"agent\":\"a\",\"user\":\"bob\",\"uid\":1000,\"role\":\"OPERATOR\","
                + "\"idleTimeoutMillis\":5}", MessageCodec.write(new ToClient.Welcome(2, "a", "bob", 1000, "OPERATOR", 5)));
        assertEquals("{\"type\":\"response\",\"id\":4,\"ok\":true,\"result\":{\"handle\":\"h\",\"state\":\"CONNECTING\"}}",
                MessageCodec.write(new ToClient.Ok(4, new Result.ClientStarted("h", ConnectionState.CONNECTING))));
        assertEquals("{\"type\":\"response\",\"id\":null,\"ok\":false,\"error\":{\"kind\":\"BAD_REQUEST\",\"message\":\"why\"}}",
                MessageCodec.write(new ToClient.Failed(null, "BAD_REQUEST", "why")));
        assertEquals("{\"type\":\"response\",\"id\":5,\"ok\":true,\"result\":{\"handles\":[{\"handle\":\"h\",\"kind\":\"SERVER\","
                + "\"owner\":\"ann\",\"ownerUid\":0,\"listenAddress\":\"0.0.0.0:1194/udp\"}]}}",
                MessageCodec.write(new ToClient.Ok(5, new Result.Handles(List.of(
                        new Result.HandleEntry("h", Result.Kind.SERVER, "ann", 0, null, "0.0.0.0:1194/udp"))))));
        assertEquals("{\"type\":\"prompt\",\"handle\":\"h\",\"request\":1,\"prompt\":2,\"text\":\"t\"}",
                MessageCodec.write(new ToClient.Prompt("h", 1, 2, "t")));
        assertEquals("{\"type\":\"error\",\"kind\":\"IDLE\",\"message\":\"m\"}", MessageCodec.write(new ToClient.Closing("IDLE", "m")));
        assertEquals("{\"type\":\"stopped\",\"handle\":\"h\"}", MessageCodec.write(new ToClient.Stopped("h")));
    }

    // ---- malformed input ---------------------------------------------------------------------------------

    private static MessageException toServiceFault(String line) {
        return assertThrows(MessageException.class, () -> MessageCodec.parseToService(line), line);
    }

    @Test
    void anUnknownTypeIsNamed() {
        MessageException e = toServiceFault("{\"type\":\"response\",\"id\":1}");
        assertEquals(Reason.UNKNOWN_TYPE, e.reason());
        assertEquals("unknown message type 'response'", e.getMessage());
        assertNull(e.op(), "not a request: the service closes the connection");
        assertEquals(Reason.MISSING_FIELD, toServiceFault("{\"id\":1}").reason());
    }

    @Test
    void anUnknownOperationKeepsTheRequestsIdSoItCanBeAnswered() {
        MessageException e = toServiceFault("{\"type\":\"request\",\"id\":9,\"op\":\"format\",\"args\":{}}");
        assertEquals(Reason.UNKNOWN_OP, e.reason());
        assertEquals(9L, e.requestId());
        assertEquals("format", e.op());
        assertEquals("unknown operation 'format'", e.getMessage());
    }

    @Test
    void aMissingMemberIsNamed() {
        MessageException e = toServiceFault("{\"type\":\"request\",\"id\":2,\"op\":\"kick\",\"args\":{\"handle\":\"h\"}}");
        assertEquals(Reason.MISSING_FIELD, e.reason());
        assertEquals("peerId", e.field());
        assertEquals("member 'peerId' is missing", e.getMessage());
        assertEquals(2L, e.requestId());
        assertEquals("kick", e.op());
        assertEquals(Reason.MISSING_FIELD, toServiceFault("{\"type\":\"hello\"}").reason());
    }

    @Test
    void aMemberOfTheWrongTypeIsNamed() {
        MessageException e = toServiceFault("{\"type\":\"request\",\"id\":2,\"op\":\"disconnect\",\"args\":{\"handle\":5}}");
        assertEquals(Reason.WRONG_TYPE, e.reason());
        assertEquals("handle", e.field());
        assertEquals("member 'handle' must be a string", e.getMessage());
        MessageException args = toServiceFault("{\"type\":\"request\",\"id\":2,\"op\":\"list\",\"args\":[]}");
        assertEquals("args", args.field());
        MessageException ccd = toServiceFault("{\"type\":\"request\",\"id\":2,\"op\":\"startServer\",\"args\":{\"config\":\"\","
                + "\"ccd\":{\"alice\":1}}}");
        assertEquals(Reason.WRONG_TYPE, ccd.reason());
        assertEquals("ccd entry 'alice' must be a string", ccd.getMessage());
    }

    @Test
    void aRequestWithoutAnIntegerIdIsStillARequest() {
        MessageException e = toServiceFault("{\"type\":\"request\",\"id\":\"1\",\"op\":\"list\"}");
        assertEquals(Reason.WRONG_TYPE, e.reason());
        assertNull(e.requestId());
        assertEquals("list", e.op(), "answered with id null, not a closed connection");
        assertEquals("a request needs an integer id", e.getMessage());
    }

    @Test
    void valuesOutOfRangeOrSetAreNamed() {
        MessageException range = toServiceFault("{\"type\":\"request\",\"id\":1,\"op\":\"kick\",\"args\":{\"handle\":\"h\","
                + "\"peerId\":4294967296}}");
        assertEquals(Reason.BAD_VALUE, range.reason());
        assertEquals("peerId", range.field());
        MessageException empty = toServiceFault("{\"type\":\"request\",\"id\":1,\"op\":\"updateServerFiles\",\"args\":{\"handle\":\"h\"}}");
        assertEquals("updateServerFiles needs crl, ccd or ccdRemoved", empty.getMessage());
        MessageException both = toServiceFault("{\"type\":\"request\",\"id\":1,\"op\":\"updateServerFiles\",\"args\":{\"handle\":\"h\","
                + "\"ccd\":{\"bob\":\"x\"},\"ccdRemoved\":[\"bob\"]}}");
        assertEquals(Reason.BAD_VALUE, both.reason());
        MessageException state = assertThrows(MessageException.class, () -> MessageCodec.parseToClient(
                "{\"type\":\"response\",\"id\":0,\"ok\":true,\"result\":{\"handle\":\"h\",\"state\":\"ASLEEP\"}}", id -> Op.START_CLIENT));
        assertEquals(Reason.BAD_VALUE, state.reason());
        assertEquals("member 'state' has unknown value 'ASLEEP'", state.getMessage());
        assertEquals(0L, state.requestId(), "a client fails that one request");
        assertEquals("startClient", state.op());
    }

    @Test
    void aResponseToNoPendingRequestIsNotRead() throws JsonException {
        ToClient m = MessageCodec.parseToClient("{\"type\":\"response\",\"id\":77,\"ok\":true,\"result\":{\"odd\":[1]}}", id -> null);
        assertEquals(new ToClient.Ok(77, new Result.Done()), m);
    }

    @Test
    void malformedJsonIsAJsonExceptionNotAMessageFault() {
        for (String line : List.of("{\"type\":\"request\",\"id\":1,\"op\":", "[]", "\"hello\"", "{\"type\":\"hello\",\"version\":2}}",
                "{" + "\"a\":{".repeat(9) + "}".repeat(10))) {
            JsonException e = assertThrows(JsonException.class, () -> MessageCodec.parseToService(line), line);
            assertTrue(!(e instanceof MessageException), line + ": " + e.getMessage());
        }
    }

    @Test
    void unknownMembersAreIgnoredAsBefore() throws JsonException {
        assertEquals(new ToService.Request(1, new Operation.Disconnect("h")), MessageCodec.parseToService(
                "{\"type\":\"request\",\"id\":1,\"op\":\"disconnect\",\"args\":{\"handle\":\"h\",\"extra\":true},\"x\":0}"));
        ToClient w = MessageCodec.parseToClient("{\"type\":\"hello\",\"version\":2,\"agent\":\"a\",\"user\":\"u\",\"uid\":1,"
                + "\"role\":\"ADMIN\"}", id -> null);
        assertEquals(0, assertInstanceOf(ToClient.Welcome.class, w).idleTimeoutMillis(), "an older service's hello has no idle timeout");
    }
}
