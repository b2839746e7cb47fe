package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenVPN 2.7's multi-socket server and {@code multihome} in {@code ./culvert server}, with stock openvpn clients
 * (issues 11 and 12).
 *
 * <p>Multi-socket: one config with {@code local * 1194 udp} and {@code local * 443 tcp-server}; a stock client over
 * UDP and one over TCP are connected at once, take addresses from the one pool and ping the server and each other
 * (client-to-client, inside the server); one status file and one management interface list both.
 *
 * <p>multihome: the server's link has two addresses and the client dials the second. With {@code multihome} the
 * replies leave from the dialled address and the client connects; without it they leave from the link's primary
 * address (the kernel's choice for a socket bound to the wildcard) and the stock client drops them as coming from a
 * peer it did not dial ("Incoming packet rejected"), as it does against a stock server without {@code multihome}.
 * The same over IPv6, where the kernel's choice for the way back is the address added last.
 */
@NetnsTest
class MultiSocketInteropTest {
    private static final String SECOND_ADDR = "10.201.1.3";

    /** The multi-socket config: UDP 1194 and TCP 443 on every address, client-to-client. */
    static final String[] MULTI_SOCKET = {"local * 1194 udp", "local * 443 tcp-server", "client-to-client"};

    /** Points client 2 at the TCP socket; client 1 stays on UDP 1194. */
    static void secondClientOverTcp(MultiClientRig rig) {
        rewrite(rig.clientConfig(2), List.of("proto udp", "proto tcp-client"),
                List.of("remote " + rig.link(2).addrA() + " " + MultiClientRig.PORT, "remote " + rig.link(2).addrA() + " 443"),
                List.of("explicit-exit-notify 1", ""));
    }

    @Test
    void oneServerTakesAUdpAndATcpClientAtOnce(@TempDir Path dir) {
        Path sock = dir.resolve("mgmt.sock");
        String[] lines = java.util.stream.Stream.concat(java.util.Arrays.stream(MULTI_SOCKET),
                java.util.stream.Stream.of("management " + sock + " unix")).toArray(String[]::new);
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2, lines)) {
            secondClientOverTcp(rig);
            rig.startCulvertServer();
            rig.startStockClients();
            String log = rig.server().log();
            assertTrue(log.contains("/udp") && log.contains(":443/tcp"), () -> "both sockets listen:\n" + log);
            assertTrue(rig.server().isAlive());
            String one = rig.tunnelAddr(1);
            String two = rig.tunnelAddr(2);
            assertFalse(one.equals(two), "one pool, two addresses: " + one + " " + two);
            for (int i = 1; i <= 2; i++) {
                PingResult server = rig.clientNs(i).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
                int client = i;
                assertTrue(server.noLoss(), () -> "client " + client + " -> server\n" + server.output());
            }
            PingResult there = rig.clientNs(1).ping(two, 10);
            assertTrue(there.noLoss(), () -> "UDP client -> TCP client\n" + there.output() + rig.serverLogTail(30));
            PingResult back = rig.clientNs(2).ping(one, 10);
            assertTrue(back.noLoss(), () -> "TCP client -> UDP client\n" + back.output() + rig.serverLogTail(30));
            StatusSnapshot status = rig.awaitFreshStatus();
            assertEquals(2, status.commonNames().size(), status::text);
            assertTrue(status.packets("client1", "client2", "CLIENT_TO_CLIENT") >= 10, status::text);
            assertTrue(status.packets("client2", "client1", "CLIENT_TO_CLIENT") >= 10, status::text);
            // One management interface lists both, each with the address it came from (UDP 1194's peer, TCP's).
            try (ManagementClient m = ManagementClient.unix(sock, Duration.ofSeconds(10))) {
                List<String> listed = m.multi("status 2").stream().filter(l -> l.startsWith("CLIENT_LIST,")).toList();
                assertEquals(2, listed.size(), listed::toString);
                assertTrue(listed.stream().anyMatch(l -> l.contains(rig.link(1).addrB())), listed::toString);
                assertTrue(listed.stream().anyMatch(l -> l.contains(rig.link(2).addrB())), listed::toString);
            }
            System.out.printf("multi-socket: UDP client %s, TCP client %s, client-to-client both ways%n", one, two);
        }
    }

    @Test
    void multihomeAnswersFromTheDialledAddress(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 1, "multihome")) {
            dialSecondAddress(rig);
            rig.startCulvertServer();
            rig.startStockClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 10);
            assertTrue(ping.noLoss(), () -> ping.output() + "\n" + rig.serverLogTail(30));
            assertTrue(rig.server().log().contains("multihome"), () -> rig.serverLogTail(30));
        }
    }

    @Test
    void multihomeOverIpv6Too(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 1, "multihome")) {
            dialSecondIpv6Address(rig);
            rig.startCulvertServer();
            rig.startStockClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
            assertTrue(ping.noLoss(), () -> ping.output() + "\n" + rig.serverLogTail(30));
        }
    }

    @Test
    void withoutMultihomeTheIpv6RepliesLeaveFromTheFirstAddress(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 1)) {
            dialSecondIpv6Address(rig);
            rig.startCulvertServer();
            OpenvpnProcess client = OpenvpnProcess.stock(rig.clientNs(1), rig.clientConfig(1), dir);
            try {
                client.awaitLine("Incoming packet rejected from [AF_INET6]fd00:201:1::1", Duration.ofSeconds(30));
                assertFalse(client.log().contains(OpenvpnProcess.READY), client::log);
            } finally {
                client.stop();
            }
        }
    }

    /**
     * IPv6 on the link: the server has fd00:201:1::100 and ::1, the client ::2 dials ::100. Both match the client's
     * /64 equally (Linux caps the longest-prefix rule at the address's prefix length), and the kernel then takes the
     * address added last, ::1, for the way back; so only multihome answers from ::100. (Added the other way round,
     * the kernel happens to pick the dialled one: a test of that would pass without multihome.)
     */
    private static void dialSecondIpv6Address(MultiClientRig rig) {
        Duration t = Duration.ofSeconds(5);
        String dev = rig.link(1).nameA();
        rig.serverNs().exec(t, "ip", "-6", "addr", "add", "fd00:201:1::100/64", "dev", dev, "nodad").orThrow("v6 dialled");
        rig.serverNs().exec(t, "ip", "-6", "addr", "add", "fd00:201:1::1/64", "dev", dev, "nodad").orThrow("v6 other");
        rig.clientNs(1).exec(t, "ip", "-6", "addr", "add", "fd00:201:1::2/64", "dev", rig.link(1).nameB(), "nodad")
                .orThrow("v6 client");
        rewrite(rig.clientConfig(1), List.of("remote " + rig.link(1).addrA() + " " + MultiClientRig.PORT,
                "remote fd00:201:1::100 " + MultiClientRig.PORT));
    }

    @Test
    void withoutMultihomeAStockClientRejectsTheRepliesFromThePrimaryAddress(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 1)) {
            dialSecondAddress(rig);
            rig.startCulvertServer();
            OpenvpnProcess client = OpenvpnProcess.stock(rig.clientNs(1), rig.clientConfig(1), dir);
            try {
                client.awaitLine("Incoming packet rejected from [AF_INET]" + rig.link(1).addrA(), Duration.ofSeconds(30));
                assertFalse(client.log().contains(OpenvpnProcess.READY), client::log);
            } finally {
                client.stop();
            }
        }
    }

    /** Gives the server's link a second address and points the client at it. */
    private static void dialSecondAddress(MultiClientRig rig) {
        rig.serverNs().exec(Duration.ofSeconds(5), "ip", "addr", "add", SECOND_ADDR + "/24", "dev", rig.link(1).nameA())
                .orThrow("second address");
        rewrite(rig.clientConfig(1),
                List.of("remote " + rig.link(1).addrA() + " " + MultiClientRig.PORT, "remote " + SECOND_ADDR + " " + MultiClientRig.PORT));
    }

    /** Replaces whole lines of {@code file}: each pair is (line, replacement). */
    @SafeVarargs
    static void rewrite(Path file, List<String>... pairs) {
        try {
            String text = Files.readString(file);
            for (List<String> p : pairs) {
                String before = text;
                text = text.replace(p.get(0) + "\n", p.get(1).isEmpty() ? "" : p.get(1) + "\n");
                if (before.equals(text)) {
                    throw new AssertionError("no line '" + p.get(0) + "' in " + file + ":\n" + before);
                }
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
