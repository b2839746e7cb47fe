package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.config.ProxyConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LinkOpenerTest {
    private static final String NEED_AUTH = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n";
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> prompts = new CopyOnWriteArrayList<>();

    /** Answers connection n with {@code answers[n]}; a 200 leaves the socket open. */
    private ServerSocket proxy(String... answers) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            for (String a : answers) {
                try {
                    Socket s = server.accept();
                    requests.add(head(s.getInputStream()));
                    s.getOutputStream().write(a.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private CredentialsProvider answering(String user, String pass) {
        return prompt -> {
            prompts.add(prompt);
            return user == null ? Optional.empty() : Optional.of(new UserPass(user, pass));
        };
    }

    private static ClientProfile.Remote viaHttp(ServerSocket p) {
        ProxyConfig.Http http = new ProxyConfig.Http("127.0.0.1", p.getLocalPort(), ProxyConfig.HttpAuth.AUTO, null, "1.0",
                null, List.of());
        return new ClientProfile.Remote("vpn.example.com", 1194, true, http);
    }

    @Test
    void a407AsksTheUserOnceAndTheAnswerIsKeptForReconnects() throws Exception {
        try (ServerSocket p = proxy(NEED_AUTH, "HTTP/1.0 200 OK\r\n\r\n", NEED_AUTH, "HTTP/1.0 200 OK\r\n\r\n")) {
            LinkOpener opener = new LinkOpener(null, answering("u", "p"));
            ClientProfile.Remote remote = viaHttp(p);
            LinkOpener.Link link = opener.open(remote, Duration.ofSeconds(10));
            assertEquals(InetAddress.getLoopbackAddress(), link.peer(), "routes must exempt the proxy, not the server");
            assertEquals("vpn.example.com:1194", link.transport().remote().getHostString() + ":" + link.transport().remote().getPort());
            link.transport().close();
            assertTrue(requests.get(1).contains("Proxy-Authorization: Basic dTpw\r\n"), requests.get(1));
            assertEquals(List.of(ProxyPrompt.HTTP_PROMPT), prompts);
            // auto mode asks the proxy without credentials first on every connection, then answers from memory
            opener.open(remote, Duration.ofSeconds(10)).transport().close();
            assertEquals(1, prompts.size());
            assertTrue(requests.get(3).contains("Proxy-Authorization: Basic dTpw\r\n"), requests.get(3));
        }
    }

    @Test
    void rejectedPromptedCredentialsAreAskedAgainNextTime() throws Exception {
        try (ServerSocket p = proxy(NEED_AUTH, NEED_AUTH, NEED_AUTH, NEED_AUTH)) {
            LinkOpener opener = new LinkOpener(null, answering("u", "wrong"));
            EngineException e = assertThrows(EngineException.class, () -> opener.open(viaHttp(p), Duration.ofSeconds(10)));
            assertEquals(ErrorKind.CONNECTION_REFUSED, e.kind(), "a refusal follows the normal reconnect logic");
            assertTrue(e.getMessage().endsWith("rejected the credentials: HTTP/1.1 407 Proxy Authentication Required"),
                    e.getMessage());
            assertThrows(EngineException.class, () -> opener.open(viaHttp(p), Duration.ofSeconds(10)));
            assertEquals(2, prompts.size());
        }
    }

    @Test
    void cancelledPromptStopsReconnecting() throws Exception {
        try (ServerSocket p = proxy(NEED_AUTH)) {
            EngineException e = assertThrows(EngineException.class,
                    () -> new LinkOpener(null, answering(null, null)).open(viaHttp(p), Duration.ofSeconds(10)));
            assertEquals(ErrorKind.AUTH_FAILED, e.kind());
        }
    }

    @Test
    void forbiddenCarriesTheStatusLine() throws Exception {
        try (ServerSocket p = proxy("HTTP/1.1 403 Forbidden\r\n\r\n")) {
            EngineException e = assertThrows(EngineException.class, () -> new LinkOpener(null, answering(null, null)).open(viaHttp(p), Duration.ofSeconds(10)));
            assertEquals(ErrorKind.CONNECTION_REFUSED, e.kind());
            assertTrue(e.getMessage().endsWith("CONNECT vpn.example.com:1194 refused: HTTP/1.1 403 Forbidden"), e.getMessage());
        }
    }

    @Test
    void deadProxyIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProxyConfig.Socks socks = new ProxyConfig.Socks("127.0.0.1", port, null);
        EngineException e = assertThrows(EngineException.class,
                () -> new LinkOpener(null, answering(null, null)).open(new ClientProfile.Remote("vpn", 1194, true, socks), Duration.ofSeconds(10)));
        assertEquals(ErrorKind.CONNECTION_REFUSED, e.kind());
        assertTrue(e.getMessage().contains("SOCKS proxy /127.0.0.1:" + port), e.getMessage());
    }
}
