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
 * "Let clients reach these networks" ({@code culvert-nat-route}) of {@code ./culvert server}: a third namespace stands
 * in for a LAN behind the server (192.168.77.0/24, a web server on .2), joined only to the server namespace (.1). The
 * clients have no route there but the pushed one. With {@code nat} a stock openvpn 2.6 client and a Culvert client each
 * fetch a page from the LAN host, which sees the server's LAN address; with {@code routed} (the LAN host routes the pool
 * back) it sees the clients' tunnel addresses; without the directive the fetch fails. After the server stops, no Culvert
 * nftables table is left and forwarding is off again. The nat line is written {@code setenv opt culvert-nat-route}, so
 * stock openvpn runs the same config.
 */
@NetnsTest(tools = {"curl", "nft"})
@CulvertFeature
class NatRouteInteropTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String LAN_HOST = "192.168.77.2";
    private static final String SERVER_LAN = "192.168.77.1";

    @Test
    void clientsReachTheLanThroughTheServerMasqueradedAndTheRulesGoWithIt(@TempDir Path dir) throws Exception {
        String token = "culvert-nat-route-" + Long.toHexString(new Random().nextLong());
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2);
                Netns lan = Netns.create("lan")) {
            VethLink link = Netns.link(rig.serverNs(), SERVER_LAN + "/24", lan, LAN_HOST + "/24");
            Files.writeString(rig.serverConfig(), "setenv opt culvert-nat-route 192.168.77.0/24\n", StandardOpenOption.APPEND);
            Path access = startWebServer(dir, lan, token);
            assertEquals("0", forwarding(rig), "a fresh namespace does not forward");

            rig.startCulvertServer();
            String rules = rig.serverNs().exec(T, "nft", "list", "table", "inet", "culvert").orThrow("nft list").output();
            assertTrue(rules.contains("ip saddr 10.77.0.0/24 ip daddr 192.168.77.0/24 oifname \"" + link.nameA()
                    + "\" masquerade"), () -> "auto: the interface of the server's route to the LAN\n" + rules);
            assertEquals("1", forwarding(rig));

            OpenvpnProcess stock = rig.startStockClient(1);
            assertTrue(stock.log().contains("route 192.168.77.0 255.255.255.0"), () -> "pushed\n" + stock.log());
            assertEquals(token, fetch(rig, 1, "stock"), () -> rig.serverLogTail(30));
            rig.startCulvertClient(2);
            assertEquals(token, fetch(rig, 2, "culvert"), () -> rig.serverLogTail(30));
            List<String> log = Files.readAllLines(access);
            for (String from : List.of("stock", "culvert")) {
                String line = log.stream().filter(l -> l.contains("GET /page.txt?from=" + from)).findFirst()
                        .orElseThrow(() -> new AssertionError("no request from the " + from + " client in " + log));
                assertTrue(line.startsWith(SERVER_LAN + " "), () -> "the LAN host saw " + line);
            }

            rig.stopServer();
            String tables = rig.serverNs().exec(T, "nft", "list", "tables").orThrow("nft list tables").output();
            assertFalse(tables.contains("culvert"), tables);
            assertEquals("0", forwarding(rig), "forwarding is back as the server found it");
        }
    }

    @Test
    void routedForwardsWithoutNatAndWithoutTheDirectiveTheFetchFails(@TempDir Path dir) throws Exception {
        String token = "culvert-routed-" + Long.toHexString(new Random().nextLong());
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2);
                Netns lan = Netns.create("lan")) {
            VethLink link = Netns.link(rig.serverNs(), SERVER_LAN + "/24", lan, LAN_HOST + "/24");
            Path access = startWebServer(dir, lan, token);
            // the admin's part of "routed": the LAN routes the client pool back through the server
            lan.exec(T, "ip", "route", "add", "10.77.0.0/24", "via", SERVER_LAN).orThrow("route back in the LAN");

            rig.startCulvertServer();
            rig.startStockClient(1);
            rig.startCulvertClient(2);
            ExecResult stock = fetchResult(rig, 1, "stock-off");
            ExecResult culvert = fetchResult(rig, 2, "culvert-off");
            assertFalse(stock.ok(), stock::output);
            assertFalse(culvert.ok(), culvert::output);
            assertTrue(Files.readAllLines(access).stream().noneMatch(l -> l.contains("from=")), "nothing reached the LAN");
            rig.stopServer();

            Files.writeString(rig.serverConfig(), "culvert-nat-route 192.168.77.0/24 " + link.nameA() + " routed\n",
                    StandardOpenOption.APPEND);
            rig.startCulvertServer();
            String rules = rig.serverNs().exec(T, "nft", "list", "table", "inet", "culvert").orThrow("nft list").output();
            assertFalse(rules.contains("masquerade"), rules);
            assertEquals("1", forwarding(rig));
            rig.startStockClient(1);
            rig.startCulvertClient(2);
            assertEquals(token, fetch(rig, 1, "stock"), () -> rig.serverLogTail(30));
            assertEquals(token, fetch(rig, 2, "culvert"), () -> rig.serverLogTail(30));
            List<String> log = Files.readAllLines(access);
            for (String from : List.of("stock", "culvert")) {
                String line = log.stream().filter(l -> l.contains("GET /page.txt?from=" + from + " ")).findFirst()
                        .orElseThrow(() -> new AssertionError("no request from the " + from + " client in " + log));
                assertTrue(line.startsWith("10.77.0."), () -> "routed: the LAN host sees the client's address: " + line);
            }
            rig.stopServer();
            String tables = rig.serverNs().exec(T, "nft", "list", "tables").orThrow("nft list tables").output();
            assertFalse(tables.contains("culvert"), tables);
            assertEquals("0", forwarding(rig));
        }
    }

    /** The web server on the LAN host; returns its access log once it answers. */
    private static Path startWebServer(Path dir, Netns lan, String token) throws IOException, InterruptedException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("page.txt"), token + "\n");
        Path access = dir.resolve("web-access.log");
        Files.writeString(access, "");
        lan.spawn(access, "/usr/bin/python3", "-m", "http.server", "8080", "--bind", LAN_HOST, "--directory",
                site.toString());
        for (int i = 0; i < 100; i++) {
            if (lan.exec(T, "curl", "-sS", "-m", "2", "http://" + LAN_HOST + ":8080/page.txt").ok()) {
                return access;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the web server did not start: " + Files.readString(access));
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
        return rig.clientNs(client).exec(T, "curl", "-sS", "-m", "8", "http://" + LAN_HOST + ":8080/page.txt?from=" + from);
    }
}
