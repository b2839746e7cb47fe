package io.culvert.engine.management;

import io.culvert.engine.common.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.common.Threads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagementSessionTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final InstanceInfo ALICE = InstanceInfo.builder(7, "alice").realAddress("192.0.2.10:40000")
            .virtualAddresses(List.of("10.8.0.2")).cipher("AES-256-GCM")
            .connectedSince(Instant.parse("2026-01-02T03:00:00Z")).bytes(1000, 2000).packets(10, 20).build();

    /** Collects what the session sends. */
    private static final class Sink implements ManagementSession.Output {
        final StringBuilder text = new StringBuilder();
        boolean closed;

        @Override
        public void send(String s) {
            text.append(s);
        }

        @Override
        public void close() {
            closed = true;
        }

        /** Lines sent since the last call, without CRLF. */
        List<String> take() {
            String s = text.toString();
            text.setLength(0);
            List<String> out = new ArrayList<>(List.of(s.split("\r\n", -1)));
            if (out.getLast().isEmpty()) {
                out.removeLast();
            }
            return out;
        }
    }

    private final EventJournal journal = new EventJournal(100);
    private final Sink sink = new Sink();

    private ManagementSession session(FakeTarget target, String password, boolean hold) {
        ManagementContext ctx = new ManagementContext(journal, target, new HoldGate(hold),
                password == null ? null : password.getBytes(StandardCharsets.UTF_8), 4242, "1.0",
                InstantSource.fixed(NOW), ZoneOffset.UTC);
        ManagementSession s = new ManagementSession(ctx, sink);
        journal.subscribe(s);
        s.start();
        return s;
    }

    @Test
    void greetsWithOpenvpnsBanner() {
        session(new FakeTarget(false), null, false);
        assertEquals(List.of(">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info"), sink.take());
    }

    @Test
    void asksForThePasswordAndNeverLogsIt() {
        ManagementSession s = session(new FakeTarget(false), "s3cret", false);
        assertEquals("ENTER PASSWORD:", sink.text.toString());
        sink.text.setLength(0);
        s.onLine("wrong-guess");
        assertEquals("ENTER PASSWORD:", sink.text.toString());
        sink.text.setLength(0);
        s.onLine("s3cret");
        assertEquals(List.of("SUCCESS: password is correct",
                ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info"), sink.take());
        assertTrue(journal.logs().stream().noneMatch(l -> l.message().contains("s3cret") || l.message().contains("wrong-guess")));
    }

    @Test
    void closesAfterThreeWrongPasswords() {
        ManagementSession s = session(new FakeTarget(false), "pw", false);
        s.onLine("a");
        s.onLine("b");
        assertFalse(sink.closed);
        s.onLine("c");
        assertTrue(sink.closed);
        assertTrue(s.closed());
        s.onLine("pw");
        assertFalse(sink.text.toString().contains("SUCCESS"));
    }

    @Test
    void clientStatusIsTheStatisticsBlock() {
        ManagementSession s = session(new FakeTarget(false), null, false);
        sink.take();
        s.onLine("status 2");
        assertEquals(List.of("OpenVPN STATISTICS", "Updated,2026-01-02 03:04:05", "TUN/TAP read bytes,200",
                "TUN/TAP write bytes,100", "TCP/UDP read bytes,3000", "TCP/UDP write bytes,4000", "Auth read bytes,100",
                "END"), sink.take());
    }

    @Test
    void serverStatusVersionOne() {
        FakeTarget t = new FakeTarget(true);
        t.instances.add(ALICE);
        ManagementSession s = session(t, null, false);
        sink.take();
        s.onLine("status");
        assertEquals(withUncaught(List.of("OpenVPN CLIENT LIST", "Updated,2026-01-02 03:04:05",
                "Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since",
                "alice,192.0.2.10:40000,1000,2000,2026-01-02 03:00:00", "ROUTING TABLE",
                "Virtual Address,Common Name,Real Address,Last Ref", "10.8.0.2,alice,192.0.2.10:40000,2026-01-02 03:00:00",
                "GLOBAL STATS", "Max bcast/mcast queue length,0", "END"), "culvert_uncaught_exceptions,"), sink.take());
    }

    @Test
    void serverStatusVersionsTwoAndThree() {
        FakeTarget t = new FakeTarget(true);
        t.instances.add(ALICE);
        ManagementSession s = session(t, null, false);
        sink.take();
        s.onLine("status 2");
        List<String> v2 = sink.take();
        assertEquals(withUncaught(List.of("TITLE,OpenVPN 2.6 compatible Culvert 1.0 [SSL (JSSE)] [AEAD]",
                "TIME,2026-01-02 03:04:05,1767323045",
                "HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address,Bytes Received,"
                        + "Bytes Sent,Connected Since,Connected Since (time_t),Username,Client ID,Peer ID,Data Channel Cipher",
                "CLIENT_LIST,alice,192.0.2.10:40000,10.8.0.2,,1000,2000,2026-01-02 03:00:00,1767322800,UNDEF,7,7,AES-256-GCM",
                "HEADER,ROUTING_TABLE,Virtual Address,Common Name,Real Address,Last Ref,Last Ref (time_t)",
                "ROUTING_TABLE,10.8.0.2,alice,192.0.2.10:40000,2026-01-02 03:00:00,1767322800",
                "GLOBAL_STATS,Max bcast/mcast queue length,0", "GLOBAL_STATS,dco_enabled,0", "END"),
                "GLOBAL_STATS,culvert_uncaught_exceptions,"), v2);
        s.onLine("status 3");
        assertEquals(v2.stream().map(l -> l.replace(',', '\t')).toList(), sink.take());
    }

    /**
     * {@code rows} as a server shows them: a healthy process's status has stock OpenVPN's shape; once a thread of this
     * JVM died of an uncaught exception (other tests make some), the count comes before END.
     */
    private static List<String> withUncaught(List<String> rows, String prefix) {
        long n = Threads.uncaught();
        if (n == 0) {
            return rows;
        }
        List<String> out = new java.util.ArrayList<>(rows.subList(0, rows.size() - 1));
        out.add(prefix + n);
        out.add("END");
        return out;
    }

    @Test
    void aThreadThatDiedOfAnUncaughtExceptionIsCountedInTheServerStatus() throws InterruptedException {
        ManagementSession s = session(new FakeTarget(true), null, false);
        sink.take();
        long before = Threads.uncaught();
        Threads.platform("culvert-test-dies").daemon().start(() -> {
            throw new IllegalStateException("boom");
        }).join();

        s.onLine("status 2");

        List<String> rows = sink.take().stream().filter(l -> l.startsWith("GLOBAL_STATS,culvert_uncaught_exceptions,")).toList();
        assertEquals(1, rows.size());
        assertTrue(Long.parseLong(rows.getFirst().substring(rows.getFirst().lastIndexOf(',') + 1)) >= before + 1, rows.toString());
    }

    @Test
    void stateHistoryAndRealtimeNotifications() {
        ManagementSession s = session(new FakeTarget(false), null, false);
        sink.take();
        journal.onEvent(new EngineEvent.StateChanged(NOW, ConnectionState.CONNECTING, null, "vpn.example:1194/udp"));
        journal.onEvent(new EngineEvent.StateChanged(NOW, ConnectionState.ASSIGN_IP, null, "10.8.0.2 255.255.255.0"));
        s.onLine("state on");
        assertEquals(List.of("SUCCESS: real-time state notification set to ON"), sink.take());
        journal.onEvent(new EngineEvent.Connected(NOW, ConnectionInfo.builder("192.0.2.1:1194/udp").device("tun0")
                .ipv4("10.8.0.2/24").ipv6("fd00::2/64").cipher("AES-256-GCM").tls("TLSv1.3").build()));
        journal.onEvent(new EngineEvent.StateChanged(NOW, ConnectionState.CONNECTED, null, ""));
        assertEquals(List.of(">STATE:1767323045,CONNECTED,SUCCESS,10.8.0.2,192.0.2.1,1194,,,fd00::2"), sink.take());
        s.onLine("state off");
        journal.onEvent(new EngineEvent.StateChanged(NOW, ConnectionState.RECONNECTING, ErrorKind.KEEPALIVE_TIMEOUT, "x"));
        assertEquals(List.of("SUCCESS: real-time state notification set to OFF"), sink.take());
        s.onLine("state 2");
        assertEquals(List.of("1767323045,CONNECTED,SUCCESS,10.8.0.2,192.0.2.1,1194,,,fd00::2",
                "1767323045,RECONNECTING,ping-restart,,,,,", "END"), sink.take());
        s.onLine("state all");
        assertEquals(List.of("1767323045,CONNECTING,,,,,,", "1767323045,ASSIGN_IP,,10.8.0.2,,,,",
                "1767323045,CONNECTED,SUCCESS,10.8.0.2,192.0.2.1,1194,,,fd00::2", "1767323045,RECONNECTING,ping-restart,,,,,",
                "END"), sink.take());
        s.onLine("state");
        assertEquals(List.of("1767323045,RECONNECTING,ping-restart,,,,,", "END"), sink.take());
        s.onLine("state sideways");
        assertEquals(List.of("ERROR: state parameter must be 'on' or 'off' or some number n or 'all'"), sink.take());
    }

    @Test
    void aRefusedRouteIsRouteErrorButOneThatWasPresentIsSuccessAsWithOpenvpnOverNetlink() {
        ManagementSession s = session(new FakeTarget(false), null, false);
        sink.take();
        s.onLine("state on");
        sink.take();
        var present = new ConnectionInfo.FailedRoute("10.8.0.0/24 via 10.8.0.1 dev tun0", "RTNETLINK answers: File exists", true);
        var refused = new ConnectionInfo.FailedRoute("10.9.0.0/24 via 10.8.9.9 dev tun0",
                "RTNETLINK answers: Network is unreachable", false);
        for (var failed : List.of(List.of(present), List.of(present, refused))) {
            journal.onEvent(new EngineEvent.Connected(NOW, ConnectionInfo.builder("192.0.2.1:1194/udp").device("tun0")
                    .ipv4("10.8.0.2/24").cipher("AES-256-GCM").tls("TLSv1.3").failedRoutes(failed).build()));
            journal.onEvent(new EngineEvent.StateChanged(NOW, ConnectionState.CONNECTED, null, ""));
        }
        assertEquals(List.of(">STATE:1767323045,CONNECTED,SUCCESS,10.8.0.2,192.0.2.1,1194,,",
                ">STATE:1767323045,CONNECTED,ROUTE_ERROR,10.8.0.2,192.0.2.1,1194,,"), sink.take());
    }

    @Test
    void logHistoryAndRealtimeWithFlags() {
        ManagementSession s = session(new FakeTarget(false), null, false);
        sink.take();
        journal.onEvent(new EngineEvent.Log(NOW, EngineEvent.Level.WARN, "careful"));
        journal.onEvent(new EngineEvent.Log(NOW, EngineEvent.Level.ERROR, "bad\nthing"));
        s.onLine("log all");
        assertEquals(List.of("1767323045,W,careful", "1767323045,N,bad thing", "1767323045,D,MANAGEMENT: CMD 'log all'", "END"),
                sink.take());
        s.onLine("log on");
        assertEquals(List.of("SUCCESS: real-time log notification set to ON"), sink.take());
        journal.onEvent(new EngineEvent.Log(NOW, EngineEvent.Level.INFO, "hello"));
        assertEquals(List.of(">LOG:1767323045,I,hello"), sink.take());
        s.onLine("pid");
        assertEquals(List.of(">LOG:1767323045,D,MANAGEMENT: CMD 'pid'", "SUCCESS: pid=4242"), sink.take());
    }

    @Test
    void commandsOfOneClientAreNotFannedOutToTheOthers() {
        ManagementSession a = session(new FakeTarget(false), null, false);
        Sink other = new Sink();
        ManagementSession b = new ManagementSession(new ManagementContext(journal, new FakeTarget(false),
                new HoldGate(false), null, 4242, "1.0", InstantSource.fixed(NOW), ZoneOffset.UTC), other);
        journal.subscribe(b);
        b.start();
        a.onLine("log on");
        b.onLine("log on");
        sink.take();
        other.take();
        a.onLine("pid");
        assertEquals(List.of(">LOG:1767323045,D,MANAGEMENT: CMD 'pid'", "SUCCESS: pid=4242"), sink.take());
        assertEquals(List.of(), other.take(), "another client's command is not pushed to this one");
        b.onLine("log 2");
        assertEquals(List.of(">LOG:1767323045,D,MANAGEMENT: CMD 'log 2'", "1767323045,D,MANAGEMENT: CMD 'pid'",
                "1767323045,D,MANAGEMENT: CMD 'log 2'", "END"), other.take(), "but it is in the history");
    }

    @Test
    void bytecountForClientAndServer() {
        ManagementSession c = session(new FakeTarget(false), null, false);
        sink.take();
        c.onLine("bytecount 2");
        assertEquals(List.of("SUCCESS: bytecount interval changed"), sink.take());
        c.tick(NOW.toEpochMilli() + 1000);
        assertEquals(List.of(), sink.take());
        c.tick(NOW.toEpochMilli() + 2000);
        assertEquals(List.of(">BYTECOUNT:3000,4000"), sink.take());
        c.onLine("bytecount 0");
        sink.take();
        c.tick(NOW.toEpochMilli() + 10_000);
        assertEquals(List.of(), sink.take());

        FakeTarget t = new FakeTarget(true);
        t.instances.add(ALICE);
        ManagementSession s = session(t, null, false);
        sink.take();
        s.onLine("bytecount 1");
        sink.take();
        s.tick(NOW.toEpochMilli() + 1000);
        assertEquals(List.of(">BYTECOUNT_CLI:7,1000,2000"), sink.take());
    }

    @Test
    void aCarriageReturnInACommandCannotForgeAnOutputLine() {
        // Found by ManagementFuzz: "kill" echoes the name it did not find, and a CR in the middle of the command line
        // (only a CR right before the LF ends a line) went out as is, so a client could append a forged line such
        // as ">PASSWORD:..." for any tool reading the same stream (a quoted word keeps the CR).
        ManagementSession s = session(new FakeTarget(true), null, false);
        sink.take();
        s.onLine("kill \"bob\r>PASSWORD:Need 'Auth' username/password\"");
        String sent = sink.text.toString();
        assertEquals(List.of("ERROR: common name 'bob?>PASSWORD:Need 'Auth' username/password' not found"),
                List.of(sent.split("\r\n")).subList(0, 1));
        assertEquals(sent.chars().filter(c -> c == '\r').count(), sent.chars().filter(c -> c == '\n').count(),
                "every CR ends a line: " + sent);
    }

    @Test
    void killByCommonNameAndAddress() {
        FakeTarget t = new FakeTarget(true);
        t.instances.add(ALICE);
        ManagementSession s = session(t, null, false);
        sink.take();
        s.onLine("kill alice");
        s.onLine("kill bob");
        s.onLine("kill 192.0.2.10:40000");
        s.onLine("kill 192.0.2.10:1");
        s.onLine("client-kill 7 HALT");
        s.onLine("client-kill 8");
        s.onLine("client-kill");
        assertEquals(List.of("SUCCESS: common name 'alice' found, 1 client(s) killed", "ERROR: common name 'bob' not found",
                "SUCCESS: 1 client(s) at address 192.0.2.10:40000 killed", "ERROR: client at address 192.0.2.10:1 not found",
                "SUCCESS: client-kill command succeeded", "ERROR: client-kill command failed",
                "ERROR: the 'client-kill' command requires at least 1 parameter"), sink.take());
        assertEquals(List.of(7, 7, 7), t.killed);
    }

    @Test
    void pushUpdateAnswersAsOpenvpn27() {
        FakeTarget t = new FakeTarget(true);
        t.instances.add(ALICE);
        ManagementSession s = session(t, null, false);
        sink.take();
        s.onLine("push-update-cid 7 \"route 10.9.0.0 255.255.255.0, -dns\"");
        s.onLine("push-update-broad \"-route\"");
        s.onLine("push-update-cid 8 \"-route\"");
        s.onLine("push-update-cid x \"-route\"");
        s.onLine("push-update-broad \"cipher AES-128-GCM\"");
        s.onLine("push-update-cid 7");
        s.onLine("push-update-broad");
        assertEquals(List.of("SUCCESS: 1 client(s) updated", "SUCCESS: push-update command succeeded",
                "SUCCESS: 1 client(s) updated", "SUCCESS: push-update command succeeded",
                "ERROR: no client updated", "ERROR: push-update command failed",
                "ERROR: cannot parse CID", "ERROR: push-update-cid fail during cid parsing",
                "ERROR: 'cipher AES-128-GCM' is not an option a PUSH_UPDATE may carry", "ERROR: push-update command failed",
                "ERROR: the 'push-update-cid' command requires 2 parameters",
                "ERROR: the 'push-update-broad' command requires 1 parameter"), sink.take());
        assertEquals(List.of("7 route 10.9.0.0 255.255.255.0, -dns", "-1 -route", "8 -route"), t.updates);
    }

    @Test
    void clientRefusesServerCommandsLikeOpenvpn() {
        ManagementSession s = session(new FakeTarget(false), null, false);
        sink.take();
        s.onLine("kill x");
        s.onLine("client-kill 1");
        s.onLine("push-update-broad \"-route\"");
        s.onLine("frobnicate");
        assertEquals(List.of("ERROR: The 'kill' command is not supported by the current daemon mode",
                "ERROR: The 'client-kill' command is not supported by the current daemon mode",
                "ERROR: The 'push-update-broad' command is not supported by the current daemon mode",
                "ERROR: unknown command, enter 'help' for more options"), sink.take());
    }

    @Test
    void holdFlagAndRelease() throws Exception {
        ManagementSession s = session(new FakeTarget(false), null, true);
        sink.take();
        s.onLine("hold");
        s.onLine("hold off");
        s.onLine("hold");
        s.onLine("hold on");
        assertEquals(List.of("SUCCESS: hold=1", "SUCCESS: hold flag set to OFF", "SUCCESS: hold=0",
                "SUCCESS: hold flag set to ON"), sink.take());
        HoldGate gate = new HoldGate(true);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                gate.await(() -> { });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.join(200);
        assertTrue(waiter.isAlive(), "waits for the release");
        assertTrue(gate.waiting());
        gate.release();
        waiter.join(2000);
        assertFalse(waiter.isAlive());
    }

    @Test
    void announcesTheHoldToNewConnections() throws Exception {
        FakeTarget t = new FakeTarget(false);
        HoldGate gate = new HoldGate(true);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                gate.await(() -> { });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (!gate.waiting()) {
            Thread.sleep(10);
        }
        ManagementSession s = new ManagementSession(new ManagementContext(journal, t, gate, null, 1, "1.0",
                InstantSource.fixed(NOW), ZoneOffset.UTC), sink);
        s.start();
        assertEquals(List.of(">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info",
                ">HOLD:Waiting for hold release:0"), sink.take());
        s.onLine("hold release");
        assertEquals(List.of("SUCCESS: hold release succeeded"), sink.take());
        waiter.join(2000);
        assertFalse(waiter.isAlive());
    }

    @Test
    void signalsReachTheTarget() {
        FakeTarget t = new FakeTarget(false);
        ManagementSession s = session(t, null, false);
        sink.take();
        s.onLine("signal SIGUSR1");
        s.onLine("signal SIGTERM");
        s.onLine("signal SIGKILL");
        assertEquals(List.of("SUCCESS: signal SIGUSR1 thrown", "SUCCESS: signal SIGTERM thrown",
                "ERROR: signal 'SIGKILL' is not a known signal type"), sink.take());
        assertEquals(List.of(ManagementTarget.Signal.SIGUSR1, ManagementTarget.Signal.SIGTERM), t.signals);
    }

    @Test
    void diagnoseAnswersTheServersPathCheckLineByLineAndEndsWithEnd() {
        FakeTarget t = new FakeTarget(true);
        ManagementSession s = session(t, null, false);
        sink.take();
        s.onLine("diagnose alice bob");
        assertEquals(List.of("alice cannot reach bob: the pair policy denies alice -> bob",
                "1. [ok] A connected: alice is connected", "2. [FAULT] pair policy: the pair policy denies alice -> bob",
                "END"), sink.take());
        s.onLine("diagnose alice 10.8.0.9 noprobe");
        assertEquals("END", sink.take().getLast());
        assertEquals(List.of("alice bob true", "alice 10.8.0.9 false"), t.diagnosed);
        s.onLine("diagnose alice");
        s.onLine("diagnose alice bob sideways");
        s.onLine("diagnose nobody bob");
        assertEquals(List.of("ERROR: usage: diagnose A B [noprobe]", "ERROR: usage: diagnose A B [noprobe]",
                "ERROR: diagnose failed: the server is not running"), sink.take());

        ManagementSession client = session(new FakeTarget(false), null, false);
        sink.take();
        client.onLine("diagnose alice bob");
        assertEquals(List.of("ERROR: The 'diagnose' command is not supported by the current daemon mode"), sink.take());
    }

    @Test
    void versionHelpAndExit() {
        ManagementSession s = session(new FakeTarget(false), null, false);
        sink.take();
        s.onLine("version");
        assertEquals(List.of("OpenVPN Version: OpenVPN 2.6 compatible Culvert 1.0 [SSL (JSSE)] [AEAD]",
                "Management Version: 5", "END"), sink.take());
        s.onLine("help");
        List<String> help = sink.take();
        assertTrue(help.contains("status [n]             : Show current daemon status info using format #n."), help::toString);
        assertEquals("END", help.getLast());
        s.onLine("");
        assertEquals(List.of(), sink.take());
        s.onLine("quit");
        assertTrue(sink.closed);
    }

    @Test
    void splitsQuotedWords() {
        assertEquals(List.of("kill", "Jane Doe"), CommandLine.split("kill \"Jane Doe\""));
        assertEquals(List.of("a", "b\"c", "d"), CommandLine.split("  a b\\\"c\td "));
        assertEquals(List.of("x", ""), CommandLine.split("x \"\""));
    }

    @Test
    void recognisesAddresses() {
        assertTrue(ManagementSession.looksLikeAddress("10.0.0.1:1194"));
        assertFalse(ManagementSession.looksLikeAddress("client"));
        assertFalse(ManagementSession.looksLikeAddress("host:name"));
        assertTrue(ManagementSession.looksLikeAddress("[fd00:201::2]:1194"));
        assertFalse(ManagementSession.looksLikeAddress("fd00::2"));
    }
}
