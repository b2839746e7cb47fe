package io.culvert.engine.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.it.ManagementClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket side over loopback TCP and a Unix socket. */
class ManagementServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static ManagementServer server(ManagementEndpoint endpoint, byte[] password) throws Exception {
        ManagementContext ctx = new ManagementContext(new EventJournal(50), new FakeTarget(false), new HoldGate(false),
                password, 1, "1.0", InstantSource.system(), ZoneOffset.UTC);
        ManagementServer m = new ManagementServer(endpoint, ctx);
        m.start();
        return m;
    }

    @Test
    void servesSeveralPasswordProtectedClientsAtOnce(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "hunter2\nsecond line is ignored\n");
        try (ManagementServer m = server(new ManagementEndpoint.Tcp(new InetSocketAddress("127.0.0.1", 0), pw),
                ManagementServer.readPassword(pw));
                ManagementClient a = ManagementClient.tcp(m.localAddress(), WAIT);
                ManagementClient b = ManagementClient.tcp(m.localAddress(), WAIT)) {
            assertEquals("ENTER PASSWORD:", a.pendingPrompt());
            assertEquals("ENTER PASSWORD:", b.pendingPrompt());
            a.send("hunter2");
            b.send("hunter2");
            assertEquals("SUCCESS: password is correct", a.nextLine());
            assertEquals(ManagementSession.GREETING, a.nextLine());
            assertEquals("SUCCESS: password is correct", b.nextLine());
            assertEquals(ManagementSession.GREETING, b.nextLine());
            assertEquals("SUCCESS: real-time log notification set to ON", a.single("log on"));
            assertEquals("SUCCESS: real-time log notification set to ON", b.single("log on"));
            m.journal().onEvent(new EngineEvent.Log(Instant.ofEpochSecond(5), EngineEvent.Level.INFO, "to everyone"));
            assertEquals(">LOG:5,I,to everyone", a.awaitNotification(">LOG:5,", WAIT));
            assertEquals(">LOG:5,I,to everyone", b.awaitNotification(">LOG:5,", WAIT));
            assertEquals("SUCCESS: pid=1", a.single("pid"));
            a.send("exit");
            assertTrue(a.awaitClosed(WAIT));
            assertEquals("SUCCESS: hold=0", b.single("hold"));
            assertFalse(b.sawBareLineFeed());
            assertTrue(m.journal().logs().stream().noneMatch(l -> l.message().contains("hunter2")));
        }
    }

    @Test
    void dropsAConnectionThatSendsAnEndlessLine(@TempDir Path dir) throws Exception {
        try (ManagementServer m = server(new ManagementEndpoint.Tcp(new InetSocketAddress("127.0.0.1", 0), null), null);
                ManagementClient a = ManagementClient.tcp(m.localAddress(), WAIT)) {
            assertEquals(ManagementSession.GREETING, a.nextLine());
            a.send("x".repeat(ManagementServer.MAX_LINE + 10));
            assertTrue(a.awaitClosed(WAIT));
        }
    }

    @Test
    void unixSocketIsGroupOnlyAndRemovedOnClose(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("m.sock");
        ManagementServer m = server(new ManagementEndpoint.Unix(sock, null), null);
        try (ManagementClient a = ManagementClient.unix(sock, WAIT)) {
            assertEquals(ManagementSession.GREETING, a.nextLine());
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals("ERROR: unknown command, enter 'help' for more options", a.single("nonsense"));
        } finally {
            m.close();
        }
        assertFalse(Files.exists(sock));
    }

    @Test
    void readsOnlyThePasswordFilesFirstLine(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "pa ss\r\nnext\n");
        assertEquals("pa ss", new String(ManagementServer.readPassword(pw), StandardCharsets.UTF_8));
    }
}
