package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway mode ({@code culvert-gateway}) of {@code ./culvert server} with a third namespace standing in for the
 * Internet: a web server on 198.18.0.2, joined only to the server namespace (198.18.0.1) and with no route back to
 * the clients. Each client namespace's own default route leads to the server namespace's veth end, as a home router
 * would. On: a stock openvpn 2.6 client and a Culvert client each fetch a page through the tunnel and the web server
 * logs the server's address as the source; a server killed with SIGKILL leaves its chain, which the next start
 * replaces; after the server stops, no Culvert nftables table is left and forwarding is off again. Off: the same fetch fails. The config's gateway line is written {@code setenv opt culvert-gateway},
 * so stock openvpn runs the same config. With {@code server-ipv6} and {@code both}, IPv6 leaves as the server's
 * IPv6 address too (NAT66).
 */
@NetnsTest(tools = {"curl", "nft"})
@CulvertFeature
class GatewayInteropTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String WEB = "198.18.0.2";
    private static final String SERVER_OUTSIDE = "198.18.0.1";
    private static final String WEB6 = "2001:db8:18::2";
    private static final String SERVER_OUTSIDE6 = "2001:db8:18::1";

    @Test
    void clientsReachTheInternetThroughTheServerAndTheRulesGoWithIt(@TempDir Path dir) throws Exception {
        String token = "culvert-gateway-" + Long.toHexString(new Random().nextLong());
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2);
                Netns internet = Netns.create("inet")) {
            VethLink wan = Netns.link(rig.serverNs(), SERVER_OUTSIDE + "/24", internet, WEB + "/24");
            Files.writeString(rig.serverConfig(), "setenv opt culvert-gateway " + wan.nameA() + " ipv4 192.0.2.53\n",
                    StandardOpenOption.APPEND);
            Path access = startWebServer(dir, internet, token);
            homeRouters(rig);
            assertEquals("0", forwarding(rig), "a fresh namespace does not forward");

            rig.startCulvertServer();
            String rules = rig.serverNs().exec(T, "nft", "list", "table", "inet", "culvert").orThrow("nft list").output();
            assertTrue(rules.contains("ip saddr 10.77.0.0/24 oifname \"" + wan.nameA() + "\" masquerade"), rules);
            assertTrue(rig.serverLogTail(60).contains("masquerade"), "the rules are shown in the server's log");
            assertEquals("1", forwarding(rig));

            OpenvpnProcess stock = rig.startStockClient(1);
            assertTrue(stock.log().contains("redirect-gateway def1") && stock.log().contains("dhcp-option DNS 192.0.2.53"),
                    () -> "pushed to the stock client\n" + stock.log());
            assertEquals(token, fetch(rig, 1, "stock"), () -> rig.serverLogTail(30));
            rig.startCulvertClient(2);
            assertEquals(token, fetch(rig, 2, "culvert"), () -> rig.serverLogTail(30));

            List<String> log = Files.readAllLines(access);
            for (String from : List.of("stock", "culvert")) {
                String line = log.stream().filter(l -> l.contains("GET /page.txt?from=" + from)).findFirst()
                        .orElseThrow(() -> new AssertionError("no request from the " + from + " client in " + log));
                assertTrue(line.startsWith(SERVER_OUTSIDE + " "), () -> "the web server saw " + line);
            }

            // A crash leaves the chain; the next start replaces it (one rule, not two) and its stop still restores
            // forwarding as it was before the crashed run, from the table's comment.
            rig.killServer();
            String left = rig.serverNs().exec(T, "nft", "list", "table", "inet", "culvert").orThrow("nft list").output();
            assertTrue(left.contains("masquerade"), left);
            rig.startCulvertServer();
            String replaced = rig.serverNs().exec(T, "nft", "list", "table", "inet", "culvert").orThrow("nft").output();
            assertEquals(1, replaced.split("masquerade", -1).length - 1, replaced);
            assertTrue(rig.serverLogTail(80).contains("Replacing the gateway rules a previous run left"),
                    () -> rig.serverLogTail(80));

            rig.stopServer();
            String tables = rig.serverNs().exec(T, "nft", "list", "tables").orThrow("nft list tables").output();
            assertFalse(tables.contains("culvert"), tables);
            assertEquals("0", forwarding(rig), "forwarding is back as the server found it");

            // The same file under stock openvpn: it skips the setenv opt line and serves the clients without a gateway.
            OpenvpnProcess stockServer = rig.startStockServer();
            assertTrue(stockServer.log().contains("culvert-gateway"), () -> "stock openvpn names the skipped line\n"
                    + stockServer.log());
            rig.startStockClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
            assertTrue(ping.noLoss(), ping::output);
            assertFalse(fetchResult(rig, 1, "stock-server").ok(), "stock openvpn does not forward");
        }
    }

    @Test
    void withoutTheGatewayTheSameFetchFails(@TempDir Path dir) throws Exception {
        String token = "culvert-no-gateway-" + Long.toHexString(new Random().nextLong());
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2);
                Netns internet = Netns.create("inet")) {
            Netns.link(rig.serverNs(), SERVER_OUTSIDE + "/24", internet, WEB + "/24");
            Path access = startWebServer(dir, internet, token);
            homeRouters(rig);
            rig.startCulvertServer();
            rig.startStockClient(1);
            rig.startCulvertClient(2);
            ExecResult stock = fetchResult(rig, 1, "stock");
            ExecResult culvert = fetchResult(rig, 2, "culvert");
            assertFalse(stock.ok(), stock::output);
            assertFalse(culvert.ok(), culvert::output);
            assertTrue(Files.readAllLines(access).stream().noneMatch(l -> l.contains("GET /page.txt?from=")),
                    "no request reached the web server");
            String tables = rig.serverNs().exec(T, "nft", "list", "tables").orThrow("nft list tables").output();
            assertFalse(tables.contains("culvert"), tables);
        }
    }

    @Test
    void bothFamiliesLeaveAsTheServersAddresses(@TempDir Path dir) throws Exception {
        String token = "culvert-gateway6-" + Long.toHexString(new Random().nextLong());
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2, "server-ipv6 fd77:77::/64");
                Netns internet = Netns.create("inet6")) {
            VethLink wan = Netns.link(rig.serverNs(), SERVER_OUTSIDE + "/24", internet, WEB + "/24");
            rig.serverNs().exec(T, "ip", "-6", "addr", "add", SERVER_OUTSIDE6 + "/64", "dev", wan.nameA(), "nodad")
                    .orThrow("server's outside IPv6 address");
            internet.exec(T, "ip", "-6", "addr", "add", WEB6 + "/64", "dev", wan.nameB(), "nodad")
                    .orThrow("web server's IPv6 address");
            Files.writeString(rig.serverConfig(), "setenv opt culvert-gateway " + wan.nameA() + " both\n",
                    StandardOpenOption.APPEND);
            // "::" is both families in python's http.server: IPv4 clients show as ::ffff:a.b.c.d in the log
            Path access = startWebServer(dir, internet, token, "::");
            homeRouters(rig);
            rig.startCulvertServer();
            String rules = rig.serverNs().exec(T, "nft", "list", "table", "inet", "culvert").orThrow("nft list").output();
            assertTrue(rules.contains("ip6 saddr fd77:77::/64 oifname \"" + wan.nameA() + "\" masquerade"), rules);
            assertEquals("1", rig.serverNs().exec(T, "sysctl", "-n", "net.ipv6.conf.all.forwarding").orThrow("sysctl")
                    .output().strip());

            OpenvpnProcess stock = rig.startStockClient(1);
            assertTrue(stock.log().contains("redirect-gateway def1 ipv6"), stock::log);
            rig.startCulvertClient(2);
            for (int i = 1; i <= 2; i++) {
                String who = i == 1 ? "stock" : "culvert";
                int client = i;
                ExecResult v6 = rig.clientNs(i).exec(T, "curl", "-sS", "-6", "-m", "8",
                        "http://[" + WEB6 + "]:8080/page.txt?from=" + who + "6");
                assertTrue(v6.ok() && v6.output().strip().equals(token),
                        () -> "IPv6 fetch from client " + client + ": " + v6.output() + "\n" + rig.serverLogTail(30));
                assertEquals(token, fetch(rig, i, who + "4"));
            }
            List<String> log = Files.readAllLines(access);
            for (String who : List.of("stock", "culvert")) {
                assertTrue(log.stream().anyMatch(l -> l.startsWith(SERVER_OUTSIDE6 + " ") && l.contains("from=" + who + "6")),
                        () -> "the " + who + " client's IPv6 request comes from the server's address: " + log);
                assertTrue(log.stream().anyMatch(l -> l.startsWith("::ffff:" + SERVER_OUTSIDE + " ")
                        && l.contains("from=" + who + "4")), () -> "and its IPv4 request too: " + log);
            }
            rig.stopServer();
            String tables = rig.serverNs().exec(T, "nft", "list", "tables").orThrow("nft list tables").output();
            assertFalse(tables.contains("culvert"), tables);
            assertEquals("0", rig.serverNs().exec(T, "sysctl", "-n", "net.ipv6.conf.all.forwarding").orThrow("sysctl")
                    .output().strip(), "IPv6 forwarding is back as the server found it");
        }
    }

    /** The web server in the Internet namespace on {@link #WEB}; returns its access log once it answers. */
    private static Path startWebServer(Path dir, Netns internet, String token) throws IOException, InterruptedException {
        return startWebServer(dir, internet, token, WEB);
    }

    /** The web server in the Internet namespace on {@code bind}; returns its access log once it answers. */
    private static Path startWebServer(Path dir, Netns internet, String token, String bind)
            throws IOException, InterruptedException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("page.txt"), token + "\n");
        Path access = dir.resolve("web-access.log");
        Files.writeString(access, "");
        internet.spawn(access, "/usr/bin/python3", "-m", "http.server", "8080", "--bind", bind, "--directory",
                site.toString());
        for (int i = 0; i < 100; i++) {
            if (internet.exec(T, "curl", "-sS", "-m", "2", "http://" + WEB + ":8080/page.txt").ok()) {
                return access;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the web server did not start: " + Files.readString(access));
    }

    /** Each client's default route leads to the server namespace, as a home router would; the web server has none. */
    private static void homeRouters(MultiClientRig rig) {
        for (int i = 1; i <= rig.clients(); i++) {
            rig.clientNs(i).exec(T, "ip", "route", "add", "default", "via", rig.link(i).addrA())
                    .orThrow("default route in client " + i);
        }
    }

    private static String forwarding(MultiClientRig rig) {
        return rig.serverNs().exec(T, "sysctl", "-n", "net.ipv4.ip_forward").orThrow("sysctl").output().strip();
    }

    private static String fetch(MultiClientRig rig, int client, String from) {
        ExecResult r = fetchResult(rig, client, from);
        assertTrue(r.ok(), () -> "fetch from client " + client + ": " + r.output());
        return r.output().strip();
    }

    private static ExecResult fetchResult(MultiClientRig rig, int client, String from) {
        return rig.clientNs(client).exec(T, "curl", "-sS", "-m", "8", "http://" + WEB + ":8080/page.txt?from=" + from);
    }
}
