package io.culvert.engine.transport.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpProxyDialerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String BASIC_UP = "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n"; // user:pass
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private LoopbackServer.Handler answer(String response) {
        return s -> {
            requests.add(LoopbackServer.readHead(s.getInputStream()));
            LoopbackServer.write(s, response);
        };
    }

    /** Counts asks and forgets, like ProxyPrompt. */
    private static final class Asking implements CredentialSource {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        private final ProxyCredentials answer;

        Asking(ProxyCredentials answer) {
            this.answer = answer;
        }

        @Override
        public ProxyCredentials credentials() {
            asked.incrementAndGet();
            return answer;
        }

        @Override
        public void rejected() {
            rejected.incrementAndGet();
        }
    }

    private HttpProxyDialer dialer(LoopbackServer p, HttpProxyDialer.Auth auth, CredentialSource c) {
        return new HttpProxyDialer(p.address(), auth, HttpProxyOptions.DEFAULT, c, Connector.tcp(null));
    }

    @Test
    void tunnelCarriesBytesAfterA200() throws Exception {
        try (LoopbackServer p = new LoopbackServer(s -> {
            requests.add(LoopbackServer.readHead(s.getInputStream()));
            LoopbackServer.write(s, "HTTP/1.0 200 Connection established\r\n\r\nhello");
            s.getOutputStream().write(s.getInputStream().read()); // echo one byte
        }); Socket s = dialer(p, HttpProxyDialer.Auth.AUTO, CredentialSource.NONE).open("vpn.example.com", 1194, TIMEOUT)) {
            assertEquals("hello", new String(s.getInputStream().readNBytes(5)));
            s.getOutputStream().write(7);
            assertEquals(7, s.getInputStream().read());
            assertEquals(List.of("CONNECT vpn.example.com:1194 HTTP/1.0\r\n\r\n"), requests);
        }
    }

    @Test
    void a407IsAnsweredWithBasicOnAFreshConnection() throws Exception {
        Asking creds = new Asking(new ProxyCredentials("user", "pass"));
        try (LoopbackServer p = new LoopbackServer(
                answer("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n"),
                answer("HTTP/1.1 200 OK\r\n\r\n"));
                Socket s = dialer(p, HttpProxyDialer.Auth.AUTO, creds).open("h", 443, TIMEOUT)) {
            assertEquals(2, p.connections());
            assertEquals("CONNECT h:443 HTTP/1.0\r\n\r\n", requests.get(0));
            assertEquals("CONNECT h:443 HTTP/1.0\r\n" + BASIC_UP + "\r\n", requests.get(1));
            assertEquals(1, creds.asked.get());
        }
    }

    @Test
    void basicSendsCredentialsFirstAndA407RejectsThem() throws Exception {
        Asking creds = new Asking(new ProxyCredentials("user", "pass"));
        try (LoopbackServer p = new LoopbackServer(answer("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> dialer(p, HttpProxyDialer.Auth.BASIC, creds).open("h", 443, TIMEOUT));
            assertEquals(ProxyException.Reason.AUTH_REJECTED, e.reason());
            assertEquals("HTTP/1.1 407 Proxy Authentication Required", e.statusLine());
            assertTrue(e.getMessage().contains("rejected the credentials: "), e.getMessage());
            assertFalse(e.getMessage().contains("user"), "no user name from an auth file in an error: " + e.getMessage());
            assertTrue(e.getMessage().endsWith("HTTP/1.1 407 Proxy Authentication Required"), e.getMessage());
            assertFalse(e.getMessage().contains("pass"), e.getMessage());
            assertEquals(1, creds.rejected.get());
            assertEquals("CONNECT h:443 HTTP/1.0\r\n" + BASIC_UP + "\r\n", requests.get(0));
        }
    }

    @Test
    void a407WithoutCredentialsNamesTheStatus() throws Exception {
        try (LoopbackServer p = new LoopbackServer(answer("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> dialer(p, HttpProxyDialer.Auth.AUTO, CredentialSource.NONE).open("h", 443, TIMEOUT));
            assertEquals(ProxyException.Reason.AUTH_REQUIRED, e.reason());
            assertTrue(e.getMessage().contains("requires authentication") && e.getMessage().contains("407"), e.getMessage());
        }
    }

    @Test
    void ntlmOnlyProxyIsRefusedClearly() throws Exception {
        Asking creds = new Asking(new ProxyCredentials("user", "pass"));
        try (LoopbackServer p = new LoopbackServer(answer(
                "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\nProxy-Authenticate: Digest realm=x\r\n\r\n"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> dialer(p, HttpProxyDialer.Auth.AUTO, creds).open("h", 443, TIMEOUT));
            assertEquals(ProxyException.Reason.UNSUPPORTED_AUTH, e.reason());
            assertTrue(e.getMessage().contains("ntlm/digest"), e.getMessage());
            assertEquals(0, creds.asked.get());
        }
    }

    @Test
    void autoNctNeverSendsBasic() throws Exception {
        Asking creds = new Asking(new ProxyCredentials("user", "pass"));
        try (LoopbackServer p = new LoopbackServer(
                answer("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=x\r\n\r\n"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> dialer(p, HttpProxyDialer.Auth.AUTO_NCT, creds).open("h", 443, TIMEOUT));
            assertEquals(ProxyException.Reason.UNSUPPORTED_AUTH, e.reason());
            assertTrue(e.getMessage().contains("auto-nct"), e.getMessage());
            assertEquals(0, creds.asked.get());
        }
    }

    @Test
    void refusalsCarryTheStatusLine() throws Exception {
        for (String status : List.of("HTTP/1.1 403 Forbidden", "HTTP/1.0 502 Bad Gateway")) {
            try (LoopbackServer p = new LoopbackServer(answer(status + "\r\nContent-Length: 0\r\n\r\n"))) {
                ProxyException e = assertThrows(ProxyException.class,
                        () -> dialer(p, HttpProxyDialer.Auth.AUTO, CredentialSource.NONE).open("vpn", 1194, TIMEOUT));
                assertEquals(ProxyException.Reason.REFUSED, e.reason());
                assertEquals(status, e.statusLine());
                assertTrue(e.getMessage().contains("CONNECT vpn:1194 refused: " + status), e.getMessage());
            }
        }
    }

    @Test
    void garbageAnswerIsMalformed() throws Exception {
        try (LoopbackServer p = new LoopbackServer(answer("220 smtp.example.com ESMTP\r\n\r\n"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> dialer(p, HttpProxyDialer.Auth.AUTO, CredentialSource.NONE).open("h", 1, TIMEOUT));
            assertEquals(ProxyException.Reason.MALFORMED, e.reason());
        }
    }

    @Test
    void silentProxyTimesOut() throws Exception {
        try (LoopbackServer p = new LoopbackServer(s -> LoopbackServer.readHead(s.getInputStream()))) {
            HttpProxyDialer d = dialer(p, HttpProxyDialer.Auth.AUTO, CredentialSource.NONE);
            assertThrows(java.net.SocketTimeoutException.class, () -> d.open("h", 1, Duration.ofMillis(300)));
        }
    }

    @Test
    void closedPortIsAConnectException() throws Exception {
        InetSocketAddress dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        HttpProxyDialer d = new HttpProxyDialer(dead, HttpProxyDialer.Auth.AUTO, HttpProxyOptions.DEFAULT,
                CredentialSource.NONE, Connector.tcp(null));
        assertThrows(ConnectException.class, () -> d.open("h", 1, TIMEOUT));
    }
}
