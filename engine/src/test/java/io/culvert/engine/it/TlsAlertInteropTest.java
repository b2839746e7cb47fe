package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenVPN 2.7 sends the TLS alert of a failed handshake before it drops the session, so the refused peer reports the
 * reason at once instead of waiting out hand-window (here 120 s). Each case runs stock 2.7.6 against stock 2.7.6 first,
 * then the same failure with Culvert in one role; "soon" is 30 s, a quarter of that hand-window: only the alert can end
 * the attempt by then. (It was 10 s; in CI, beside another interop class on two cores, a Culvert JVM took that long to
 * reach its first handshake packet.)
 *
 * <p>What stock 2.7.6 really delivers: a client that refuses the server's certificate sends its alert and the server
 * logs it. A multi-client server that refuses a client's certificate frees the client instance before the alert
 * leaves ("Warning buffer of freed TLS session is still in use"), so its client times out; Culvert's server sends that
 * alert, and the stock client names it. TLS 1.2 is forced where the server refuses: under TLS 1.3 the client has
 * finished its handshake when the alert arrives, and stock 2.7.6 logs nothing for it either way.
 */
@Openvpn27Test
@ControlPlaneOnly
class TlsAlertInteropTest {
    private static final int PORT = 1194;
    private static final Duration SOON = Duration.ofSeconds(30);
    private static final String STOCK_FAILED = "TLS Error: TLS handshake failed";
    private static final String TLS12 = "tls-version-max 1.2\n";
    /** Four times {@link #SOON}: an attempt that ends within SOON was ended by the alert, not by hand-window. */
    private static final String HAND_WINDOW = "hand-window 120\n";

    @Test
    void stockServerRefusingAStockClientFreesItBeforeTheAlertLeaves(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("alss", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                OpenvpnProcess server = stockServer(hosts, dir)) {
            server.awaitInitialized(Duration.ofSeconds(30));
            try (OpenvpnProcess client = stock27(hosts.cli(), dir, "stock-client.log", strangerCert(dir, hosts, TLS12))) {
                server.awaitLine(STOCK_FAILED, SOON);
                client.awaitLine("Inactivity timeout", SOON.plusSeconds(5));
                assertFalse(client.log().contains(STOCK_FAILED), "stock 2.7.6's server delivered its alert:\n" + client.logTail(20));
            }
        }
    }

    @Test
    void culvertServerRefusingAStockClientSendsTheAlert(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("alcs", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                OpenvpnProcess server = culvert(hosts.srv(), dir, "server", hosts.serverConf())) {
            server.awaitInitialized(Duration.ofSeconds(30));
            try (OpenvpnProcess client = stock27(hosts.cli(), dir, "stock-client.log", strangerCert(dir, hosts, TLS12))) {
                client.awaitLine(STOCK_FAILED, SOON);
                assertTrue(client.log().lines().anyMatch(l -> l.contains("OpenSSL") && l.contains("alert")),
                        "stock 2.7 names the server's alert:\n" + client.logTail(20));
            }
        }
    }

    @Test
    void stockClientRefusingAStockServerSendsTheAlert(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("alsc", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                OpenvpnProcess server = stockServer(hosts, dir)) {
            server.awaitInitialized(Duration.ofSeconds(30));
            try (OpenvpnProcess client = stock27(hosts.cli(), dir, "stock-client.log", strangerCa(dir, hosts))) {
                client.awaitLine(STOCK_FAILED, SOON);
                server.awaitLine("alert", SOON);
            }
        }
    }

    @Test
    void culvertServerReportsTheAlertOfAStockClientThatRefusesIt(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("alcr", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                OpenvpnProcess server = culvert(hosts.srv(), dir, "server", hosts.serverConf())) {
            server.awaitInitialized(Duration.ofSeconds(30));
            try (OpenvpnProcess client = stock27(hosts.cli(), dir, "stock-client.log", strangerCa(dir, hosts))) {
                server.awaitLine("the client refused the TLS handshake: TLS alert ", SOON);
            }
        }
    }

    @Test
    void culvertClientRefusingAStockServerSendsTheAlert(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("alcc", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                OpenvpnProcess server = stockServer(hosts, dir)) {
            server.awaitInitialized(Duration.ofSeconds(30));
            try (OpenvpnProcess client = culvert(hosts.cli(), dir, "client", strangerCa(dir, hosts))) {
                client.awaitLine("CERTIFICATE_REJECTED", SOON);
                server.awaitLine("alert", SOON);
                server.awaitLine(STOCK_FAILED, SOON);
            }
        }
    }

    /**
     * Stock 2.7.6's server does not deliver its alert (above), so a Culvert client hears one from a Culvert server: it
     * reports the alert and moves on at once, its state naming the reason, under TLS 1.3 and 1.2.
     */
    @Test
    void culvertClientRefusedByACulvertServerReportsTheAlertAndMovesOn(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("alcx", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                OpenvpnProcess server = culvert(hosts.srv(), dir, "server", hosts.serverConf())) {
            server.awaitInitialized(Duration.ofSeconds(30));
            for (String extra : new String[] {"", TLS12}) {
                Path conf = strangerCert(dir.resolve(extra.isEmpty() ? "tls13" : "tls12"), hosts, extra);
                try (OpenvpnProcess client = culvert(hosts.cli(), conf.getParent(), "client", conf)) {
                    client.awaitLine("State RECONNECTING", SOON);
                    assertTrue(client.log().lines().anyMatch(l -> l.contains("State RECONNECTING (")
                            && l.contains("the server refused the TLS handshake: TLS alert certificate_unknown; retrying in")),
                            client.logTail(10));
                    assertTrue(client.log().contains("TLS_HANDSHAKE_FAILED: the server refused the TLS handshake"),
                            client.logTail(10));
                    assertFalse(client.log().contains("TLS_HANDSHAKE_FAILED: TLS_HANDSHAKE_FAILED"),
                            () -> "the kind is said once:\n" + client.logTail(10));
                }
            }
        }
    }

    private static OpenvpnProcess stockServer(TwoHosts hosts, Path dir) {
        return stock27(hosts.srv(), dir, "stock-server.log", hosts.serverConf());
    }

    /** The scenario's client profile with a certificate and key from a CA the server does not trust. */
    private static Path strangerCert(Path dir, TwoHosts hosts, String extra) throws Exception {
        Files.createDirectories(dir);
        TestPki stranger = TestPki.create(dir.resolve("stranger"));
        String text = replaceBlock(replaceBlock(Files.readString(hosts.clientConf()), "cert", stranger.clientCert()), "key",
                stranger.clientKey());
        return Files.writeString(dir.resolve("stranger-cert.ovpn"), text + HAND_WINDOW + extra);
    }

    /** The scenario's client profile trusting only a CA that did not sign the server's certificate. */
    private static Path strangerCa(Path dir, TwoHosts hosts) throws Exception {
        TestPki stranger = TestPki.create(dir.resolve("stranger"));
        String text = replaceBlock(Files.readString(hosts.clientConf()), "ca", stranger.ca());
        return Files.writeString(dir.resolve("stranger-ca.ovpn"), text + HAND_WINDOW);
    }

    private static String replaceBlock(String profile, String tag, Path file) throws Exception {
        String replaced = profile.replaceFirst("(?s)<" + tag + ">.*</" + tag + ">\n", Matcher.quoteReplacement(TestPki.inline(tag, file)));
        assertTrue(replaced.contains(Files.readString(file).strip()), "the profile carries the stranger's " + tag);
        return replaced;
    }

    private static OpenvpnProcess culvert(Netns ns, Path dir, String role, Path config) {
        return OpenvpnProcess.command(ns, dir, dir.resolve("culvert-" + role + ".log"),
                OpenvpnProcess.repoRoot().resolve("culvert").toString(), role, "--config", config.toString());
    }

    private static OpenvpnProcess stock27(Netns ns, Path dir, String log, Path config) {
        return OpenvpnProcess.command(ns, dir, dir.resolve(log), StockOpenvpn.openvpn27().toString(), "--cd", dir.toString(),
                "--config", config.toString(), "--verb", "3");
    }
}
