package io.culvert.engine.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.it.ManagementClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Clients that ask for the real-time log, flood commands and never read, then leave: what the interface logs and
 * sends because of them stays a small fraction of what they sent, and they are really disconnected.
 */
class ManagementSlowReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SLOW_CLIENTS = 16;
    /**
     * Most a slow client sends before giving up on being dropped. It floods until the server hangs up: whether 32 KB
     * of commands overflow a connection's queue depends on how the reader and the writer thread interleave (the
     * writer may keep up until the kernel's send buffer, about 1 MB on loopback, is full), so a fixed amount was a
     * race the test could lose on a loaded machine. What the server must do is drop the client before this much.
     */
    private static final int MAX_BYTES_PER_CLIENT = 16 * 1024 * 1024;

    @Test
    void slowReaderLogAmplificationStaysBoundedAndSlowClientsAreClosed() throws Exception {
        ManagementContext ctx = new ManagementContext(new EventJournal(250), new FakeTarget(false), new HoldGate(false),
                null, 1, "1.0", InstantSource.system(), ZoneOffset.UTC);
        try (LogCapture log = new LogCapture("io.culvert.engine.management");
                ManagementServer m = new ManagementServer(new ManagementEndpoint.Tcp(new InetSocketAddress("127.0.0.1", 0), null), ctx)) {
            m.start();
            try (ManagementClient good = ManagementClient.tcp(m.localAddress(), WAIT)) {
                assertEquals(ManagementSession.GREETING, good.nextLine());
                assertEquals("SUCCESS: real-time log notification set to ON", good.single("log on"));
                long goodBefore = good.receivedBytes();

                AtomicLong sent = new AtomicLong();
                List<Socket> slow = new ArrayList<>();
                List<Thread> senders = new ArrayList<>();
                for (int i = 0; i < SLOW_CLIENTS; i++) {
                    Socket s = new Socket();
                    s.setReceiveBufferSize(4096);
                    s.setSendBufferSize(4096); // so what counts as sent is what reached the server, not our own buffer
                    s.connect(m.localAddress());
                    slow.add(s);
                    senders.add(Thread.ofVirtual().start(() -> flood(s, sent)));
                }
                for (Thread t : senders) {
                    t.join(Duration.ofSeconds(60));
                }
                String pid = answer(good, "pid");
                boolean slowDropped = awaitConnections(m, 1);
                boolean socketsClosed = slow.stream().allMatch(ManagementSlowReaderTest::closedByServer);
                slow.forEach(ManagementSlowReaderTest::closeQuietly);
                Thread.sleep(1500);
                long logAfterLeaving = log.bytes.get();
                Thread.sleep(1500);
                long goodReceived = good.receivedBytes() - goodBefore;

                System.out.printf("slow-reader attack: %d slow clients sent %d bytes; management log %d lines / %d bytes "
                        + "(%.1fx), of them WARN %d lines / %d bytes (%.1fx); a bystander with 'log on' received %d bytes "
                        + "(%.1fx); logged from 1.5 s to 3 s after the attackers left: %d bytes%n", SLOW_CLIENTS, sent.get(),
                        log.lines.get(), log.bytes.get(), log.bytes.get() / (double) sent.get(), log.warnLines.get(),
                        log.warnBytes.get(), log.warnBytes.get() / (double) sent.get(), goodReceived,
                        goodReceived / (double) sent.get(), log.bytes.get() - logAfterLeaving);

                assertEquals("SUCCESS: pid=1", pid, "a well-behaved client keeps its answers");
                assertTrue(slowDropped, "slow clients are disconnected, the good one stays: " + m.connectionCount());
                assertTrue(socketsClosed, "the server closed every slow client's socket");
                assertTrue(log.warnLines.get() <= SLOW_CLIENTS, "one warning per slow client, got " + log.warnLines.get());
                assertTrue(log.bytes.get() < sent.get() / 10, "management log " + log.bytes.get() + " bytes for " + sent.get() + " sent");
                assertTrue(goodReceived < sent.get() / 10, "bystander received " + goodReceived + " bytes for " + sent.get() + " sent");
                assertEquals(logAfterLeaving, log.bytes.get(), "nothing more is logged once the attackers have left");
                assertEquals("SUCCESS: pid=1", good.single("pid"));
            }
        }
    }

    /**
     * Turns on the real-time log, then sends short commands and a few long-answered ones, never reading, until the
     * server hangs up (or {@link #MAX_BYTES_PER_CLIENT} is sent).
     */
    private static void flood(Socket s, AtomicLong sent) {
        byte[] chunk = ("help\n" + "pid\n".repeat(50)).repeat(5).getBytes(StandardCharsets.US_ASCII);
        try {
            OutputStream out = s.getOutputStream();
            byte[] on = "log on\n".getBytes(StandardCharsets.US_ASCII);
            out.write(on);
            sent.addAndGet(on.length);
            for (int n = 0; n < MAX_BYTES_PER_CLIENT; n += chunk.length) {
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
            out.flush();
        } catch (IOException e) {
            // the server hung up on us: that is the point
        }
    }

    /** The one-line answer, or a note that none came (the server dropped the client). */
    private static String answer(ManagementClient c, String command) {
        try {
            return c.single(command);
        } catch (AssertionError | RuntimeException e) {
            return "no answer: " + e.getMessage();
        }
    }

    private static boolean awaitConnections(ManagementServer m, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (m.connectionCount() != n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return m.connectionCount() == n;
    }

    /** Reads what is left; true when the server's end reached end of stream or reset the connection. */
    private static boolean closedByServer(Socket s) {
        byte[] buf = new byte[65536];
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            s.setSoTimeout(1000);
            InputStream in = s.getInputStream();
            while (System.nanoTime() < deadline) {
                try {
                    if (in.read(buf) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // still open: keep waiting
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
