package io.culvert.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.remote.RemoteEngine;
import io.culvert.engine.daemon.protocol.RawLines;
import io.culvert.engine.daemon.protocol.Protocol;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows of docs/security-model.md about holding connections, over culvertd's real socket. The test process is
 * one user, so the account behind each connection is substituted (as in {@code ServiceRoundTripTest}): the next
 * connection is identified as {@link #who}. Connections are opened one after the other, each waiting for its answer.
 */
@Timeout(30)
class ConnectionLimitsTest {
    @TempDir
    Path dir;
    private final AtomicReference<Account> who = new AtomicReference<>();
    private final List<SocketChannel> open = new ArrayList<>();
    private CulvertService service;
    private Path socket;
    private String group;

    private CulvertService start(int max, ServiceSettings.Limits limits) throws IOException {
        socket = dir.resolve("run/culvertd.sock");
        group = Files.getAttribute(dir, "posix:group").toString();
        ServiceSettings settings = new ServiceSettings(socket, group, Set.of("culvert-admin"), max, dir.resolve("state"), limits);
        service = new CulvertService(new SecurityModelTest.FakeEngine(), settings, name -> Optional.ofNullable(who.get()), "test",
                InstantSource.system());
        service.bind();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                service.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return service;
    }

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel c : open) {
            c.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private Account operator(String name, long uid) {
        return new Account(name, uid, uid, Set.of(name, group));
    }

    private Account admin(String name, long uid) {
        return new Account(name, uid, uid, Set.of(name, group, "culvert-admin"));
    }

    private static final Account ROOT = new Account("root", 0, 0, Set.of("root"));

    /** Connects as {@code a}, says hello and returns the service's answer (a hello or an error). */
    private Map<String, Object> connect(Account a) throws Exception {
        who.set(a);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        open.add(ch);
        RawLines lines = new RawLines(Channels.newInputStream(ch), Channels.newOutputStream(ch));
        try {
            lines.write(Map.of("type", Protocol.HELLO, "version", (long) Protocol.VERSION));
        } catch (IOException refusedAlready) {
            // the error is still readable
        }
        return lines.read();
    }

    private RawLines lines(SocketChannel ch) {
        return new RawLines(Channels.newInputStream(ch), Channels.newOutputStream(ch));
    }

    @Test
    @DisplayName("row 'hold connections' (lock-out): an operator holding its maximum of idle connections shuts out neither"
            + " another operator nor root")
    void lockOutOneOperatorsIdleConnectionsLeaveRoomForOthersAndRoot() throws Exception {
        start(64, ServiceSettings.Limits.defaults(64));
        Account mallory = operator("mallory", 1000);
        for (int i = 0; i < ServiceSettings.Limits.DEFAULT_PER_USER; i++) {
            assertEquals(Protocol.HELLO, connect(mallory).get("type"), "connection " + i);
        }
        Map<String, Object> ninth = connect(mallory);
        assertEquals("error", ninth.get("type"));
        assertEquals("BUSY", ninth.get("kind"));
        assertEquals("at most 8 connections per user", ninth.get("message"));

        assertEquals("OPERATOR", connect(operator("bob", 1001)).get("role"), "another operator still connects");
        assertEquals("ADMIN", connect(ROOT).get("role"), "root still connects");
    }

    @Test
    @DisplayName("row 'hold connections' (lock-out): operators together leave the admin reserve free; root gets in even"
            + " when every slot is taken")
    void operatorsTogetherLeaveTheAdminReserve() throws Exception {
        start(8, new ServiceSettings.Limits(2, 2, Duration.ofSeconds(5), Duration.ofMinutes(5)));
        for (int u = 0; u < 3; u++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(Protocol.HELLO, connect(operator("op" + u, 2000 + u)).get("type"));
            }
        }
        Map<String, Object> full = connect(operator("op9", 2009));
        assertEquals("BUSY", full.get("kind"), "six operator connections fill the operators' share of 8");
        assertEquals("ADMIN", connect(admin("ann", 3000)).get("role"), "the reserve is there for admins");
        assertEquals("ADMIN", connect(admin("ann", 3000)).get("role"));
        assertEquals("BUSY", connect(admin("otto", 3001)).get("kind"), "all 8 taken");
        assertEquals("ADMIN", connect(ROOT).get("role"), "root always gets in");
    }

    @Test
    @DisplayName("row 'hold connections' (lock-out): idle connections are closed after the idle timeout, and ones that"
            + " never say hello after the handshake timeout")
    void lockOutIdleConnectionsAreClosed() throws Exception {
        start(64, ServiceSettings.Limits.defaults(64).withTimeouts(Duration.ofMillis(300), Duration.ofMillis(400)));
        Account mallory = operator("mallory", 1000);
        for (int i = 0; i < ServiceSettings.Limits.DEFAULT_PER_USER; i++) {
            assertEquals(Protocol.HELLO, connect(mallory).get("type"));
        }
        assertEquals("BUSY", connect(mallory).get("kind"));
        long t0 = System.nanoTime();
        Map<String, Object> idle = lines(open.getFirst()).read();
        assertEquals("IDLE", idle.get("kind"), idle::toString);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        Thread.sleep(500); // the service closes its end shortly after the message
        assertEquals(Protocol.HELLO, connect(mallory).get("type"), "the slots are free again");

        who.set(mallory);
        SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX);
        silent.connect(UnixDomainSocketAddress.of(socket));
        open.add(silent);
        long t1 = System.nanoTime();
        assertNull(lines(silent).read(), "no hello: closed");
        long waited = (System.nanoTime() - t1) / 1_000_000;
        assertTrue(waited < 3_000, "closed after the handshake timeout, not later: " + waited + " ms");
    }

    @Test
    @DisplayName("row 'hold connections': a watching connection is not idle, and the app's RemoteEngine keeps its own alive")
    void watchersAndTheAppAreNotIdle() throws Exception {
        start(64, ServiceSettings.Limits.defaults(64).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
        who.set(operator("bob", 1001));
        try (RemoteEngine app = RemoteEngine.connect(socket, "test", InstantSource.system())) {
            app.watch((h, e) -> { });
            who.set(operator("carol", 1002));
            try (RemoteEngine other = RemoteEngine.connect(socket, "test", InstantSource.system())) {
                Thread.sleep(1_200);
                assertTrue(app.isOpen() && other.isOpen(), "both still open after four idle timeouts");
                assertEquals(List.of(), other.list());
            }
        }
    }
}
