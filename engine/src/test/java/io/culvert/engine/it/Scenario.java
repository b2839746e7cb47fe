package io.culvert.engine.it;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One interop scenario and the matching server and client configs it produces; immutable.
 * The tunnel network is always 10.77.0.0/24 with the server at {@link #SERVER_TUNNEL_ADDR}.
 *
 * @param proto {@code udp} or {@code tcp}
 * @param cipher the single data cipher: {@code AES-256-GCM}, {@code CHACHA20-POLY1305}, {@code AES-256-CBC}
 * @param auth the HMAC digest ({@code SHA256}), or {@code null} to leave openvpn's default
 * @param wrap control-channel wrapping: {@code tls-crypt}, {@code tls-auth}, {@code tls-crypt-v2} or {@code none}
 * @param topology {@code subnet} or {@code net30}
 * @param dev {@code tun} or {@code tap}
 */
public record Scenario(String proto, String cipher, String auth, String wrap, String topology, String dev) {

    /** The server's address inside the tunnel. */
    public static final String SERVER_TUNNEL_ADDR = "10.77.0.1";

    /** The default scenario: UDP, tls-crypt, AES-256-GCM, subnet, tun. */
    public static final Scenario UDP_TLS_CRYPT_GCM = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    /** TCP, tls-auth, AES-256-CBC with HMAC-SHA256, net30, tap. */
    public static final Scenario TCP_TLS_AUTH_CBC_TAP = new Scenario("tcp", "AES-256-CBC", "SHA256", "tls-auth", "net30", "tap");

    /** UDP, no control-channel wrapping, CHACHA20-POLY1305, net30, tun. */
    public static final Scenario UDP_PLAIN_CHACHA_NET30 = new Scenario("udp", "CHACHA20-POLY1305", null, "none", "net30", "tun");

    public Scenario {
        check(proto, "udp", "tcp");
        check(wrap, "tls-crypt", "tls-auth", "tls-crypt-v2", "none");
        check(topology, "subnet", "net30");
        check(dev, "tun", "tap");
    }

    /** A copy with another transport protocol. */
    public Scenario withProto(String newProto) {
        return new Scenario(newProto, cipher, auth, wrap, topology, dev);
    }

    /** A copy with another data cipher; CBC ciphers get {@code auth SHA256} if no digest is set. */
    public Scenario withCipher(String newCipher) {
        String newAuth = auth == null && newCipher.toUpperCase(Locale.ROOT).endsWith("-CBC") ? "SHA256" : auth;
        return new Scenario(proto, newCipher, newAuth, wrap, topology, dev);
    }

    /**
     * Server config: listens on {@code serverVethAddr:port} (every address when {@code serverVethAddr} is null),
     * hands out 10.77.0.0/24; key files by absolute path.
     */
    public String serverConfig(TestPki pki, String serverVethAddr, int port) {
        StringBuilder c = new StringBuilder("# Culvert interop server: ").append(this).append('\n');
        line(c, "port", port);
        if (serverVethAddr != null) {
            line(c, "local", serverVethAddr);
        }
        line(c, "proto", proto);
        line(c, "dev", dev);
        line(c, "topology", topology);
        line(c, "server", "10.77.0.0 255.255.255.0");
        line(c, "ca", pki.ca());
        line(c, "cert", pki.serverCert());
        line(c, "key", pki.serverKey());
        line(c, "dh", "none");
        switch (wrap) {
            case "tls-crypt" -> line(c, "tls-crypt", pki.tcKey());
            case "tls-crypt-v2" -> line(c, "tls-crypt-v2", pki.tcV2ServerKey());
            case "tls-auth" -> line(c, "tls-auth", pki.taKey() + " 0");
            default -> { }
        }
        line(c, "data-ciphers", cipher);
        if (auth != null) {
            line(c, "auth", auth);
        }
        line(c, "keepalive", "2 10");
        line(c, "verb", 3);
        return c.toString();
    }

    /** Client config for {@link #serverConfig}; {@code inline} embeds PKI and keys as a unified profile. */
    public String clientConfig(TestPki pki, String serverVethAddr, int port, boolean inline) {
        return clientConfig(pki, serverVethAddr, port, inline, pki.clientCert(), pki.clientKey());
    }

    /** Like {@link #clientConfig(TestPki, String, int, boolean)} with another client certificate and key. */
    public String clientConfig(TestPki pki, String serverVethAddr, int port, boolean inline, Path cert, Path key) {
        StringBuilder c = new StringBuilder("# Culvert interop client: ").append(this).append('\n');
        line(c, "client", "");
        line(c, "dev", dev);
        line(c, "proto", proto);
        line(c, "remote", serverVethAddr + " " + port);
        line(c, "nobind", "");
        line(c, "remote-cert-tls", "server");
        line(c, "verify-x509-name", "server name");
        line(c, "data-ciphers", cipher);
        if (auth != null) {
            line(c, "auth", auth);
        }
        line(c, "ping-restart", 10);
        if (proto.equals("udp")) {
            line(c, "explicit-exit-notify", 1);
        }
        line(c, "verb", 3);
        if (inline) {
            c.append(TestPki.inline("ca", pki.ca()))
                    .append(TestPki.inline("cert", cert))
                    .append(TestPki.inline("key", key));
            switch (wrap) {
                case "tls-crypt" -> c.append(TestPki.inline("tls-crypt", pki.tcKey()));
                case "tls-crypt-v2" -> c.append(TestPki.inline("tls-crypt-v2", pki.tcV2ClientKey()));
                case "tls-auth" -> c.append("key-direction 1\n").append(TestPki.inline("tls-auth", pki.taKey()));
                default -> { }
            }
        } else {
            line(c, "ca", pki.ca());
            line(c, "cert", cert);
            line(c, "key", key);
            switch (wrap) {
                case "tls-crypt" -> line(c, "tls-crypt", pki.tcKey());
                case "tls-crypt-v2" -> line(c, "tls-crypt-v2", pki.tcV2ClientKey());
                case "tls-auth" -> line(c, "tls-auth", pki.taKey() + " 1");
                default -> { }
            }
        }
        return c.toString();
    }

    @Override
    public String toString() {
        return String.join("/", proto, wrap, cipher + (auth == null ? "" : "+" + auth), topology, dev);
    }

    private static void line(StringBuilder c, String key, Object value) {
        c.append(key);
        String v = value.toString();
        if (!v.isEmpty()) {
            c.append(' ').append(v);
        }
        c.append('\n');
    }

    private static void check(String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException(value + " is not one of " + List.of(allowed));
        }
    }
}
