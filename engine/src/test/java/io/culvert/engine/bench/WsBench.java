package io.culvert.engine.bench;

import io.culvert.engine.it.Iperf3;
import io.culvert.engine.it.MultiClientRig;
import io.culvert.engine.it.NginxRig;
import io.culvert.engine.it.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * OpenVPN over WebSocket through a real nginx beside plain TCP transport, Culvert↔Culvert, in the same run (issue 14):
 * one {@code ./culvert server} (proto tcp, AES-256-GCM, tls-crypt) with {@code culvert-websocket 127.0.0.1:8081 /vpn},
 * nginx in its namespace with the admin guide's location block ({@link NginxRig}); client 1 dials the TCP port, client
 * 2 {@code wss://} through nginx. Rounds alternate which goes first; per round and transport: iperf3 TCP client→server
 * and server→client, ping RTT at 10 ms intervals (p50, p99). Prints every cell, the medians and WebSocket/TCP ratios.
 * Usage: {@code engine/bench/ws-bench.sh [--rounds N] [--seconds S] [--pings N]}. Needs root, nginx, iperf3, ping.
 */
public final class WsBench {
    private static final Scenario TCP = new Scenario("tcp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");

    private WsBench() { }

    /** One transport's figures in one round. */
    private record Cell(String transport, double upMbit, double downMbit, RttStats rtt) { }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int seconds = 10;
        int pings = 300;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--pings" -> pings = Integer.parseInt(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("cvt-ws-bench-");
        List<Cell> cells = new ArrayList<>();
        try (MultiClientRig rig = MultiClientRig.create(TCP, dir, 2, "culvert-websocket 127.0.0.1:8081 /vpn",
                "culvert-websocket-trusted-proxy 127.0.0.1");
                NginxRig nginx = NginxRig.start(rig.serverNs(), dir, rig.pki(), rig.link(2).addrA(), "/vpn", "127.0.0.1",
                        8081)) {
            Path profile = rig.clientConfig(2);
            String text = Files.readString(profile).lines()
                    .filter(l -> !l.startsWith("remote ") && !l.startsWith("proto "))
                    .collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(profile, text + "culvert-remote-websocket " + nginx.url() + "\nculvert-websocket-ca "
                    + rig.pki().ca() + "\n");
            rig.startCulvertServer();
            rig.startCulvertClient(1);
            rig.startCulvertClient(2);
            System.out.printf("ws-bench: Culvert server %s; client 1 over TCP to %s:%d, client 2 over %s (nginx %s)%n",
                    TCP, rig.link(1).addrA(), MultiClientRig.PORT, nginx.url(), nginxVersion(rig));
            for (int r = 1; r <= rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int client = (r + k) % 2 == 1 ? 1 : 2;
                    Cell c = measure(rig, dir, client, seconds, pings);
                    cells.add(c);
                    System.out.printf(Locale.ROOT, "r%d %-9s up %7.1f down %7.1f Mbit/s | RTT 10 ms p50 %.3f p99 %.3f ms"
                            + " (%d/%d)%n", r, c.transport(), c.upMbit(), c.downMbit(), c.rtt().percentile(50),
                            c.rtt().percentile(99), c.rtt().millis().size(), c.rtt().sent());
                }
            }
        }
        summary(cells);
    }

    private static Cell measure(MultiClientRig rig, Path dir, int client, int seconds, int pings) {
        Iperf3.Result up = Iperf3.run(rig.serverNs(), rig.clientNs(client), dir, seconds, false);
        Iperf3.Result down = Iperf3.run(rig.serverNs(), rig.clientNs(client), dir, seconds, true);
        RttStats rtt = RttStats.parse(rig.clientNs(client).exec(Duration.ofSeconds(60 + pings / 50), "ping", "-c",
                Integer.toString(pings), "-i", "0.01", "-W", "2", Scenario.SERVER_TUNNEL_ADDR).output());
        if (!up.ok() || !down.ok()) {
            System.out.println("iperf3 failed: " + (up.ok() ? down.problem() : up.problem()));
        }
        return new Cell(client == 1 ? "tcp" : "websocket", up.receivedMbit(), down.receivedMbit(), rtt);
    }

    private static void summary(List<Cell> cells) {
        double[] tcp = medians(cells, "tcp");
        double[] ws = medians(cells, "websocket");
        System.out.println("medians              plain TCP   WebSocket via nginx   WebSocket/TCP");
        String[] names = {"up Mbit/s", "down Mbit/s", "RTT p50 ms", "RTT p99 ms"};
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "%-18s %11.3f %21.3f %15.2f%n", names[i], tcp[i], ws[i], ws[i] / tcp[i]);
        }
    }

    private static double[] medians(List<Cell> cells, String transport) {
        List<Cell> of = cells.stream().filter(c -> c.transport().equals(transport)).toList();
        return new double[] {median(of.stream().map(Cell::upMbit).toList()), median(of.stream().map(Cell::downMbit).toList()),
            median(of.stream().map(c -> c.rtt().percentile(50)).toList()),
            median(of.stream().map(c -> c.rtt().percentile(99)).toList())};
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String nginxVersion(MultiClientRig rig) {
        return rig.serverNs().exec(Duration.ofSeconds(10), NginxRig.NGINX.toString(), "-v").output().strip()
                .replace("nginx version: ", "");
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: ws-bench.sh [--rounds N] [--seconds S] [--pings N]");
        System.exit(2);
    }
}
