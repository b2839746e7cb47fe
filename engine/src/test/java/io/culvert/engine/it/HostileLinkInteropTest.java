package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connected {@code ./culvert client} takes 100,000 random and mutated datagrams from the server's address
 * (through a {@link FuzzProxy} in front of the stock openvpn 2.6 server) and keeps its tunnel: the process
 * lives, pings pass with no loss, 10 MiB cross intact, and its drop counters account for the flood.
 *
 * <p>Only authenticated control channels are flooded. With {@code wrap none} an injected control packet whose
 * message id lands in the receive window is indistinguishable from the server's, reaches TLS and ends the session
 * (TLS error, then reconnect), as with stock openvpn; that is what tls-auth and tls-crypt exist to prevent.
 */
@NetnsTest
@org.junit.jupiter.api.parallel.Isolated("counts kernel packet drops; other tunnels on the same cores would add drops")
class HostileLinkInteropTest {
    private static final int HOSTILE = 100_000;
    private static final int PROXY_PORT = 1195;
    private static final long BLAST_BYTES = 10L * 1024 * 1024;
    private static final Pattern FLOOD_TOTAL = Pattern.compile("FLOOD DONE total=(\\d+)");
    private static final Pattern TRAFFIC = Pattern.compile("Traffic: tun in \\d+ out \\d+, link in \\d+ out \\d+, dropped \\{(.*)}");

    static Stream<Scenario> scenarios() {
        return Stream.of(
                Scenario.UDP_TLS_CRYPT_GCM,
                new Scenario("udp", "AES-256-CBC", "SHA256", "tls-auth", "subnet", "tun"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void clientSurvivesHostileFloodAndCountsIt(Scenario scenario, @TempDir Path dir) throws Exception {
        try (InteropRig rig = InteropRig.start(scenario, dir)) {
            Path profile = dir.resolve("client-proxy.ovpn");
            String server = rig.serverAddr();
            Files.writeString(profile, Files.readString(rig.clientConfig())
                    .replace("remote " + server + " " + InteropRig.PORT, "remote " + server + " " + PROXY_PORT));
            Path proxyLog = dir.resolve("fuzz-proxy.log");
            long seed = ThreadLocalRandom.current().nextLong();
            Process proxy = FuzzProxy.start(rig.serverNs(), proxyLog, server, PROXY_PORT, server, InteropRig.PORT, HOSTILE, seed);
            try {
                awaitLog(proxy, proxyLog, "LISTENING", Duration.ofSeconds(20));
                OpenvpnProcess client = rig.startClient("culvert-client.log",
                        OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", profile.toString());
                PingResult before = rig.pingServer(5);
                assertTrue(before.noLoss(), () -> "tunnel through the proxy does not work:\n" + before.output()
                        + "\n" + client.logTail(30));
                Map<String, Long> kernelBefore = kernelCounters(rig.clientNs());

                CompletableFuture<PingResult> during = CompletableFuture.supplyAsync(() -> rig.pingServer(40));
                OutputStream stdin = proxy.getOutputStream();
                stdin.write("flood\n".getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                awaitLog(proxy, proxyLog, "FLOOD DONE", Duration.ofMinutes(3));
                PingResult duringFlood = during.join();
                String floodLine = Files.readAllLines(proxyLog).stream().filter(l -> l.startsWith("FLOOD DONE")).findFirst().orElseThrow();
                Matcher fm = FLOOD_TOTAL.matcher(floodLine);
                assertTrue(fm.find(), floodLine);
                long injected = Long.parseLong(fm.group(1));
                assertTrue(injected >= HOSTILE * 99L / 100, () -> "proxy could not send the flood: " + floodLine);

                assertTrue(client.isAlive(), () -> "client died under the flood:\n" + client.logTail(40));
                assertTrue(duringFlood.received() > 0, () -> "no ping got through during the flood:\n" + duringFlood.output() + "\n" + client.logTail(40));
                PingResult after = rig.pingServer(10);
                assertTrue(after.noLoss(), () -> "pings after the flood lost packets:\n" + after.output() + "\n" + client.logTail(40));
                TcpBlast.Result blast = rig.blastToServer(BLAST_BYTES);
                assertTrue(blast.ok(), () -> "bulk transfer after the flood failed:\n" + blast.report() + "\n" + client.logTail(40));
                Map<String, Long> kernelAfter = kernelCounters(rig.clientNs());

                client.stop();
                assertEquals(0, client.process().exitValue(), () -> client.logTail(20));
                assertReconnectedNever(client);
                Map<String, Long> drops = drops(client);
                long total = drops.values().stream().mapToLong(Long::longValue).sum();
                Map<String, Long> kernel = delta(kernelBefore, kernelAfter, "Udp.InDatagrams", "Udp.RcvbufErrors",
                        "Udp.InErrors", "Ip.ReasmFails", "Ip.ReasmOKs");
                String summary = String.format("hostile %s: injected %d, client dropped %d (%.1f %%) %s, kernel %s,"
                                + " pings during flood %d/%d; %s", scenario, injected, total, 100.0 * total / injected, drops,
                        kernel, duringFlood.received(), duringFlood.transmitted(), floodLine);
                System.out.println(summary);
                assertTrue(total >= injected * 9 / 10, summary);
                // Each hostile datagram either reached the client (and was counted there) or the kernel dropped
                // it for want of socket buffer; legitimate drops only add to the client's side.
                assertTrue(total + kernel.get("Udp.RcvbufErrors") >= injected, () -> "uncounted hostile datagrams: " + summary);
            } finally {
                Netns.killTree(proxy.toHandle());
            }
        }
    }

    /** The flood must not have ended the session: exactly one tunnel came up. */
    private static void assertReconnectedNever(OpenvpnProcess client) {
        long ups = client.log().lines().filter(l -> l.contains(OpenvpnProcess.READY)).count();
        assertEquals(1, ups, () -> "the session restarted during the flood:\n" + client.logTail(60));
    }

    /** The {@code dropped {...}} map from the client's final {@code Traffic:} line. */
    static Map<String, Long> drops(OpenvpnProcess client) {
        List<String> lines = client.log().lines().filter(l -> l.contains("Traffic: ")).toList();
        assertEquals(1, lines.size(), () -> "expected one Traffic line:\n" + client.logTail(20));
        Matcher m = TRAFFIC.matcher(lines.get(0));
        assertTrue(m.find(), lines.get(0));
        Map<String, Long> drops = new LinkedHashMap<>();
        for (String entry : m.group(1).split(",\\s*")) {
            if (!entry.isBlank()) {
                String[] kv = entry.split("=");
                drops.put(kv[0].strip(), Long.parseLong(kv[1].strip()));
            }
        }
        return drops;
    }

    /** The {@code Ip:} and {@code Udp:} counters of {@code /proc/net/snmp} in {@code ns}, as {@code Udp.RcvbufErrors} etc. */
    private static Map<String, Long> kernelCounters(Netns ns) {
        List<String> lines = ns.exec(Duration.ofSeconds(10), "cat", "/proc/net/snmp").output().lines().toList();
        Map<String, Long> counters = new LinkedHashMap<>();
        for (int row = 0; row + 1 < lines.size(); row++) {
            String[] names = lines.get(row).split("\\s+");
            String[] values = lines.get(row + 1).split("\\s+");
            if ((names[0].equals("Ip:") || names[0].equals("Udp:")) && names[0].equals(values[0])
                    && !values[1].chars().anyMatch(Character::isLetter)) {
                String prefix = names[0].substring(0, names[0].length() - 1) + ".";
                for (int i = 1; i < Math.min(names.length, values.length); i++) {
                    counters.put(prefix + names[i], Long.parseLong(values[i]));
                }
            }
        }
        return counters;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after, String... keys) {
        Map<String, Long> d = new LinkedHashMap<>();
        for (String k : keys) {
            d.put(k, after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L));
        }
        return d;
    }

    private static void awaitLog(Process p, Path log, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log).contains(text)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("FuzzProxy: no '" + text + "' (alive=" + p.isAlive() + "):\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }
}
