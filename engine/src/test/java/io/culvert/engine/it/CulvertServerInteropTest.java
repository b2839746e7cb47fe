package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three clients in three namespaces join {@code ./culvert server} (its own namespace, one veth /24 per client,
 * no {@code local}), with {@code client-to-client}: every client pings the server's tunnel address and every
 * other client, client 1 moves 50 MiB to the server, verified; on TAP one broadcast ping is answered by every
 * other client and the status file's FLOW lines show the fan-out. Then the same server config runs under stock
 * openvpn with one stock client.
 */
@NetnsTest
class CulvertServerInteropTest {
    private static final long BLAST_BYTES = 50L << 20;
    /** How long the status file may take to show broadcast requests that ping stopped waiting for. */
    private static final Duration BROADCAST_SETTLE = Duration.ofSeconds(5);
    private static final Pattern REPLY_FROM = Pattern.compile("bytes from (10\\.77\\.0\\.\\d+)");

    /** Covers tun+subnet, tun+net30 and tap each over UDP and TCP, and every wrap twice. */
    static Stream<Scenario> matrix() {
        return Stream.of(
                new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun"),
                new Scenario("tcp", "AES-256-GCM", null, "tls-auth", "subnet", "tun"),
                new Scenario("udp", "CHACHA20-POLY1305", null, "none", "net30", "tun"),
                new Scenario("tcp", "AES-256-CBC", "SHA256", "tls-crypt", "net30", "tun"),
                new Scenario("udp", "AES-256-GCM", null, "tls-auth", "subnet", "tap"),
                new Scenario("tcp", "AES-128-GCM", null, "none", "subnet", "tap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void threeStockClientsMeetThroughCulvertServer(Scenario scenario, @TempDir Path dir) {
        long start = System.nanoTime();
        try (MultiClientRig rig = MultiClientRig.create(scenario, dir, 3, "client-to-client")) {
            boolean tap = scenario.dev().equals("tap");
            if (tap) {
                rig.sysctlEverywhere("net.ipv4.icmp_echo_ignore_broadcasts", "0");
            }
            rig.startCulvertServer();
            rig.startStockClients();
            assertMesh(rig);
            if (tap) {
                assertBroadcastFansOut(rig);
            }
            TcpBlast.Result blast = TcpBlast.transfer(rig.clientNs(1), rig.serverNs(), Scenario.SERVER_TUNNEL_ADDR, BLAST_BYTES);
            assertTrue(blast.ok(), () -> blast.report() + "\nserver:\n" + rig.serverLogTail(40));
            StatusSnapshot ours = rig.awaitFreshStatus();
            assertEquals(List.of("client1", "client2", "client3"), ours.commonNames().stream().sorted().toList(), ours.text());
            assertTrue(ours.packets("client1", "server", "UNICAST_VIA_SERVER") > (BLAST_BYTES / 1500), ours.text());
            long culvertMillis = (System.nanoTime() - start) / 1_000_000;

            sameConfigUnderStockServer(rig, ours);
            System.out.printf("%s: 3 stock clients via culvert server ok, 50 MiB at %.0f Mbit/s, %d ms; stock server pass %d ms%n",
                    scenario, blast.mbitPerSec(), culvertMillis, (System.nanoTime() - start) / 1_000_000 - culvertMillis);
        }
    }

    static Stream<Scenario> culvertClientMatrix() {
        return Stream.of(Scenario.UDP_TLS_CRYPT_GCM, new Scenario("tcp", "AES-256-GCM", null, "tls-auth", "subnet", "tap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("culvertClientMatrix")
    void threeCulvertClientsMeetThroughCulvertServer(Scenario scenario, @TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(scenario, dir, 3, "client-to-client")) {
            boolean tap = scenario.dev().equals("tap");
            if (tap) {
                rig.sysctlEverywhere("net.ipv4.icmp_echo_ignore_broadcasts", "0");
            }
            rig.startCulvertServer();
            rig.startCulvertClients();
            assertMesh(rig);
            if (tap) {
                assertBroadcastFansOut(rig);
            }
            TcpBlast.Result blast = TcpBlast.transfer(rig.clientNs(1), rig.serverNs(), Scenario.SERVER_TUNNEL_ADDR, BLAST_BYTES);
            assertTrue(blast.ok(), () -> blast.report() + "\nserver:\n" + rig.serverLogTail(40));
            System.out.printf("%s: 3 culvert clients via culvert server ok, 50 MiB at %.0f Mbit/s%n", scenario, blast.mbitPerSec());
        }
    }

    /**
     * Stops whatever runs, starts stock openvpn with the same server.conf and one stock client, pings the server and
     * compares the stock status file's layout with {@code ours} (the Culvert server's).
     */
    static void sameConfigUnderStockServer(MultiClientRig rig, StatusSnapshot ours) {
        rig.stopServer();
        rig.startStockServer();
        rig.startStockClient(1);
        PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
        assertTrue(ping.noLoss(), () -> "stock server, same config: " + ping.output() + "\n" + rig.serverLogTail(30));
        StatusSnapshot stock = rig.awaitFreshStatus();
        assertEquals(stock.layout(), ours.layout(), "status file layout\nstock:\n" + stock.text() + "\nculvert:\n" + ours.text());
        assertEquals(List.of(rig.commonName(1)), stock.commonNames());
        rig.stopServer();
    }

    static void assertMesh(MultiClientRig rig) {
        int count = 3;
        List<MultiClientRig.PingCheck> mesh = rig.pingMesh(count);
        assertEquals(rig.clients() * rig.clients(), mesh.size());
        // Every request answered; a late reply (ping -w then sends one more request) is not a loss.
        List<MultiClientRig.PingCheck> failed = mesh.stream().filter(c -> !c.result().answered(count)).toList();
        assertTrue(failed.isEmpty(), () -> "failed pings: " + failed + "\n" + failed.getFirst().result().output()
                + "\nserver:\n" + rig.serverLogTail(40));
    }

    /**
     * One broadcast ping (three requests) from client 1: every other client answers; FLOW shows three more BROADCAST
     * deliveries to each (at least: ARP and IPv6 multicast frames are flooded too, as stock openvpn does on TAP).
     */
    private static void assertBroadcastFansOut(MultiClientRig rig) {
        StatusSnapshot before = rig.awaitFreshStatus();
        ExecResult r = rig.clientNs(1).exec(Duration.ofSeconds(15),
                "ping", "-D", "-b", "-c", "3", "-i", "0.3", "-W", "2", "10.77.0.255");
        Set<String> answered = new TreeSet<>();
        Matcher m = REPLY_FROM.matcher(r.output());
        while (m.find()) {
            answered.add(m.group(1));
        }
        Set<String> others = new TreeSet<>(List.of(rig.tunnelAddr(2), rig.tunnelAddr(3)));
        assertTrue(answered.containsAll(others), () -> "broadcast ping answered by " + answered + ", expected " + others
                + "\n" + r.output());
        // ping stops waiting 0.3 s after its last request: a request still on its way then is counted a little later.
        StatusSnapshot after = rig.awaitFreshStatus();
        long deadline = System.nanoTime() + BROADCAST_SETTLE.toNanos();
        while (broadcasts(before, after) < 3 && System.nanoTime() < deadline) {
            after = rig.awaitFreshStatus();
        }
        StatusSnapshot last = after;
        for (String receiver : List.of("client2", "client3")) {
            long delta = last.packets("client1", receiver, "BROADCAST") - before.packets("client1", receiver, "BROADCAST");
            assertTrue(delta >= 3, () -> "BROADCAST client1 -> " + receiver + " grew by " + delta + "\nping:\n" + r.output()
                    + "\nbefore:\n" + before.text() + "\nafter:\n" + last.text());
        }
    }

    /** The fewest BROADCAST deliveries from client 1 to client 2 or 3 between two snapshots. */
    private static long broadcasts(StatusSnapshot before, StatusSnapshot after) {
        return List.of("client2", "client3").stream()
                .mapToLong(r -> after.packets("client1", r, "BROADCAST") - before.packets("client1", r, "BROADCAST"))
                .min().orElse(0);
    }
}
