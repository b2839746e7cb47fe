package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.WebSocketListen;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket endpoint's bounds (ADR 0046) without a tunnel: the Unix socket's mode, group and stale-file rules, the
 * bearer token, the cap per client address, and the counters each refusal lands in.
 */
class WebSocketAcceptorTest {
    private static final String TOKEN = "s3cret-token-0123456789";

    private static String request(String extra) {
        return "GET /vpn HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
    }

    /** Sends {@code request} on a new connection to {@code at}; the answer's status line, the connection left open. */
    private static String ask(SocketAddress at, String request, List<SocketChannel> keep) throws IOException {
        SocketChannel ch = at instanceof UnixDomainSocketAddress ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        ch.connect(at);
        keep.add(ch);
        ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer b = ByteBuffer.allocate(512);
        StringBuilder s = new StringBuilder();
        while (s.indexOf("\r\n") < 0) {
            b.clear();
            if (ch.read(b) < 0) {
                break;
            }
            s.append(new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1));
        }
        int end = s.indexOf("\r\n");
        return end < 0 ? s.toString() : s.substring(0, end);
    }

    private static WebSocketAcceptor start(WebSocketListen config, CountDownLatch hold) throws IOException {
        WebSocketAcceptor a = new WebSocketAcceptor(config, InstantSource.system());
        Thread.ofVirtual().start(() -> a.run(endpoint -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endpoint.transport().close();
            return true;
        }));
        return a;
    }

    @Test
    void theUnixSocketIsMode0660InItsGroupUpgradesAndIsRemovedOnClose(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-x---")));
        String group = Files.readAttributes(run, PosixFileAttributes.class).group().getName();
        Path sock = run.resolve("ws.sock");
        WebSocketListen cfg = new WebSocketListen(null, 0, sock.toString(), "/vpn", List.of(), group, null, 1);
        CountDownLatch hold = new CountDownLatch(1);
        List<SocketChannel> open = new ArrayList<>();
        try (WebSocketAcceptor a = start(cfg, hold)) {
            PosixFileAttributes attrs = Files.readAttributes(sock, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertTrue(attrs.isOther(), "a socket");
            assertEquals("rw-rw----", PosixFilePermissions.toString(attrs.permissions()));
            assertEquals(group, attrs.group().getName());
            assertEquals("unix:" + sock, a.where());
            assertEquals(List.of(), Files.list(run).filter(p -> !p.equals(sock)).toList(), "no temporary left behind");
            assertEquals("HTTP/1.1 101 Switching Protocols",
                    ask(UnixDomainSocketAddress.of(sock), request("X-Real-IP: 192.0.2.7\r\n"), open));
            assertEquals("HTTP/1.1 404 Not Found", ask(UnixDomainSocketAddress.of(sock),
                    request("").replace("/vpn", "/other"), open));
            assertEquals(Map.of("BAD_REQUEST", 1L), a.counters());
            assertEquals(1, a.upgraded());
        } finally {
            hold.countDown();
            for (SocketChannel c : open) {
                c.close();
            }
        }
        assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS), "the socket is removed when the server stops");
    }

    @Test
    void aStaleSocketOfOursIsReplacedAnythingElseAtThePathIsRefused(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("ws.sock");
        WebSocketListen cfg = new WebSocketListen(null, 0, sock.toString(), "/vpn", List.of(), null, null, 1);
        // a socket left by a server that died: bound, never removed
        try (var stale = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(sock));
            IOException inUse = assertThrows(IOException.class, () -> new WebSocketAcceptor(cfg, InstantSource.system()));
            assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
        }
        assertTrue(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));
        awaitRefused(sock); // the dead server's socket is closed (CI once saw a connect still accepted right after close)
        new WebSocketAcceptor(cfg, InstantSource.system()).close();
        assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));

        Files.writeString(sock, "not a socket");
        IOException file = assertThrows(IOException.class, () -> new WebSocketAcceptor(cfg, InstantSource.system()));
        assertTrue(file.getMessage().contains("is not a socket"), file.getMessage());
        assertEquals("not a socket", Files.readString(sock), "left alone");

        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException world = assertThrows(IOException.class, () -> new WebSocketAcceptor(
                new WebSocketListen(null, 0, open.resolve("ws.sock").toString(), "/vpn", List.of(), null, null, 1),
                InstantSource.system()));
        assertTrue(world.getMessage().contains("writable by every user"), world.getMessage());
        assertEquals(0, Files.list(open).count(), "nothing created there");
    }

    @Test
    void withATokenAnUpgradeWithoutItIs401AndCounted(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        WebSocketListen cfg = new WebSocketListen("127.0.0.1", 0, null, "/vpn", List.of(), null, token.toString(), 1);
        CountDownLatch hold = new CountDownLatch(1);
        List<SocketChannel> open = new ArrayList<>();
        try (WebSocketAcceptor a = start(cfg, hold)) {
            InetSocketAddress at = a.localAddress();
            assertEquals("HTTP/1.1 401 Unauthorized", ask(at, request(""), open));
            assertEquals("HTTP/1.1 401 Unauthorized", ask(at, request("Authorization: Bearer wrong-token-0123456789\r\n"), open));
            assertEquals("HTTP/1.1 401 Unauthorized", ask(at, request("Authorization: Basic " + TOKEN + "\r\n"), open));
            assertEquals("HTTP/1.1 101 Switching Protocols", ask(at, request("Authorization: Bearer " + TOKEN + "\r\n"), open));
            assertEquals(Map.of("UNAUTHORIZED", 3L), a.counters());
        } finally {
            hold.countDown();
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }

    /** ADR 0050: the proxy-verified client name is read only from a trusted proxy; without it the upgrade is 401. */
    @Test
    void withAClientCnHeaderOnlyATrustedProxysVerifiedNameUpgrades() throws Exception {
        List<SocketChannel> open = new ArrayList<>();
        java.util.concurrent.LinkedBlockingQueue<String> names = new java.util.concurrent.LinkedBlockingQueue<>();
        WebSocketListen trusting = new WebSocketListen("127.0.0.1", 0, null, "/vpn", List.of("127.0.0.1"), null, null,
                "X-Client-DN", 1);
        WebSocketListen untrusting = new WebSocketListen("127.0.0.1", 0, null, "/vpn", List.of(), null, null,
                "X-Client-DN", 1);
        try (WebSocketAcceptor a = new WebSocketAcceptor(trusting, InstantSource.system());
                WebSocketAcceptor b = new WebSocketAcceptor(untrusting, InstantSource.system())) {
            for (WebSocketAcceptor x : List.of(a, b)) {
                Thread.ofVirtual().start(() -> x.run(endpoint -> {
                    names.add(String.valueOf(endpoint.proxyCommonName()));
                    endpoint.transport().close();
                    return true;
                }));
            }
            assertEquals("HTTP/1.1 401 Unauthorized", ask(a.localAddress(), request(""), open));
            assertEquals("HTTP/1.1 401 Unauthorized", ask(a.localAddress(), request("X-Client-DN: O=no name\r\n"), open));
            assertEquals("HTTP/1.1 101 Switching Protocols",
                    ask(a.localAddress(), request("X-Client-DN: CN=alice,O=Test\r\n"), open));
            assertEquals("alice", names.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("HTTP/1.1 401 Unauthorized",
                    ask(b.localAddress(), request("X-Client-DN: CN=alice,O=Test\r\n"), open), "not from a trusted proxy");
            assertEquals(Map.of("UNAUTHORIZED", 2L), a.counters());
            assertEquals(Map.of("UNAUTHORIZED", 1L), b.counters());
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }

    @Test
    void oneAddressGetsAtMostItsCapOfConnectionsAndGetsThemBackWhenTheyEnd() throws Exception {
        WebSocketListen cfg = new WebSocketListen("127.0.0.1", 0, "/vpn", List.of(), 1);
        CountDownLatch hold = new CountDownLatch(1);
        List<SocketChannel> open = new ArrayList<>();
        try (WebSocketAcceptor a = start(cfg, hold)) {
            InetSocketAddress at = a.localAddress();
            for (int i = 0; i < WebSocketAcceptor.MAX_PER_ADDRESS; i++) {
                assertEquals("HTTP/1.1 101 Switching Protocols", ask(at, request(""), open), "connection " + i);
            }
            assertEquals("HTTP/1.1 429 Too Many Requests", ask(at, request(""), open));
            assertEquals(Map.of("PER_ADDRESS", 1L), a.counters());
            hold.countDown(); // the connections end
            for (SocketChannel c : open) {
                c.close();
            }
            open.clear();
            String answer = "";
            for (int i = 0; i < 100 && !answer.contains("101"); i++) {
                Thread.sleep(50);
                answer = ask(at, request(""), open);
            }
            assertEquals("HTTP/1.1 101 Switching Protocols", answer, "the address may connect again");
        } finally {
            hold.countDown();
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }

    /** Waits (at most 5 s) until a connect to {@code sock} is refused: nobody listens on it any more. */
    private static void awaitRefused(Path sock) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (var probe = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(sock + " still accepts connections 5 s after its server socket was closed");
                }
            } catch (java.net.ConnectException refused) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
