package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code route-nopull} and {@code pull-filter} against a stock openvpn 2.6 server that pushes two routes: with the same
 * profile, {@code ./culvert client} installs exactly the tunnel routes a stock 2.6 client installs (route-nopull still
 * takes the pushed route-gateway for the profile's own route, and an {@code accept} rule does not lift route-nopull;
 * an {@code ignore} rule drops one route; {@code route-noexec} installs none), and a {@code reject} rule makes both
 * clients drop the push and reconnect. With {@code route-delay}, the profile's or a pushed one, both carry traffic
 * before the routes are added.
 */
@NetnsTest
@ControlPlaneOnly
class PullOptionsInteropTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int DELAY = 4;
    private static final String SERVER_EXTRA = """
            push "route 10.78.0.0 255.255.255.0"
            push "route 10.79.0.0 255.255.255.0"
            """;

    @Test
    void culvertInstallsTheRoutesStockInstallsAndReconnectsOnReject(@TempDir Path dir) throws IOException {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, SERVER_EXTRA, "")) {
            String profile = Files.readString(rig.clientConfig());
            sameRoutes(rig, profile, "nopull", "route-nopull\nroute 10.80.0.0 255.255.255.0\n",
                    Set.of("10.80.0.0/24 via 10.77.0.1 dev tun0"));
            sameRoutes(rig, profile, "nopull-accept", "route-nopull\npull-filter accept \"route 10.78\"\n", Set.of());
            sameRoutes(rig, profile, "ignore", "pull-filter ignore \"route 10.78\"\n",
                    Set.of("10.79.0.0/24 via 10.77.0.1 dev tun0"));
            sameRoutes(rig, profile, "noexec", "route-noexec\nroute 10.80.0.0 255.255.255.0\n", Set.of());

            Path rejecting = Files.writeString(dir.resolve("reject.ovpn"), profile + "pull-filter reject \"route 10.79\"\n");
            try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), rejecting, dir)) {
                stock.awaitLine("Offending option received from server", T);
                assertTrue(stock.log().contains("Pushed option rejected by filter: 'route 10.79.0.0 255.255.255.0'"),
                        stock::log);
            }
            try (OpenvpnProcess culvert = culvert(rig, rejecting, "reject")) {
                culvert.awaitLine("State RECONNECTING", T);
                String log = culvert.log();
                assertTrue(log.contains("Pushed option rejected by filter: 'route 10.79.0.0 255.255.255.0'"), log);
                assertFalse(log.contains("Initialization Sequence Completed"), log);
                assertTrue(culvert.isAlive(), "a rejected push is retried, not fatal:\n" + log);
            }
        }
    }

    @ParameterizedTest(name = "route-delay from the {0}")
    @ValueSource(strings = {"profile", "server"})
    void routeDelayAddsTheRoutesLaterWhileTheTunnelIsAlreadyUp(String from, @TempDir Path dir) throws IOException {
        String delay = "route-delay " + DELAY + "\n";
        boolean pushed = from.equals("server");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir,
                SERVER_EXTRA + (pushed ? "push \"" + delay.strip() + "\"\n" : ""), "")) {
            String profile = Files.readString(rig.clientConfig());
            Path conf = Files.writeString(dir.resolve("delay.ovpn"), profile + (pushed ? "" : delay));
            try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), conf, dir)) {
                assertRoutesFollowTheTunnel(rig, stock, "stock");
            }
            try (OpenvpnProcess culvert = culvert(rig, conf, "delay")) {
                assertRoutesFollowTheTunnel(rig, culvert, "Culvert");
            }
        }
    }

    /**
     * Once the device has its address the tunnel carries a ping while the pushed routes are still missing and the client
     * has not announced itself initialised; about {@link #DELAY} seconds later both have happened.
     */
    private static void assertRoutesFollowTheTunnel(InteropRig rig, OpenvpnProcess client, String who) {
        long deadline = System.nanoTime() + InteropRig.STARTUP.toNanos();
        while (!rig.clientNs().exec(T, "ip", "-4", "addr", "show", "dev", "tun0").output().contains("10.77.0.")) {
            assertTrue(client.isAlive() && System.nanoTime() < deadline,
                    () -> who + ": no tunnel address\n" + client.logTail(30));
            Pause.millis(50);
        }
        long up = System.nanoTime();
        assertTrue(rig.pingServer(1).noLoss(),
                () -> who + ": the tunnel must carry traffic before the routes\n" + client.logTail(30));
        assertEquals(Set.of(), tunnelRoutes(rig), () -> who + ": routes before the delay\n" + client.logTail(30));
        assertFalse(client.log().contains(OpenvpnProcess.READY),
                () -> who + ": initialised before the routes\n" + client.logTail(30));
        client.awaitInitialized(InteropRig.STARTUP);
        double waited = (System.nanoTime() - up) / 1e9;
        assertEquals(Set.of("10.78.0.0/24 via 10.77.0.1 dev tun0", "10.79.0.0/24 via 10.77.0.1 dev tun0"), tunnelRoutes(rig),
                () -> who + ": routes after the delay\n" + client.logTail(30));
        assertTrue(waited >= DELAY - 1.5, () -> who + ": routes after only " + waited + " s\n" + client.logTail(30));
    }

    /** Runs the stock client, then Culvert, with {@code extra} appended to the profile; both must leave the same routes. */
    private static void sameRoutes(InteropRig rig, String profile, String name, String extra, Set<String> expected)
            throws IOException {
        Path conf = Files.writeString(rig.dir().resolve(name + ".ovpn"), profile + extra);
        Set<String> stockRoutes;
        try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), conf, rig.dir()).awaitInitialized(InteropRig.STARTUP)) {
            stockRoutes = tunnelRoutes(rig);
        }
        assertEquals(expected, stockRoutes, name + ": what stock openvpn installs (the reference)");
        try (OpenvpnProcess culvert = culvert(rig, conf, name).awaitInitialized(InteropRig.STARTUP)) {
            assertEquals(stockRoutes, tunnelRoutes(rig),
                    () -> name + ": Culvert's routes differ from stock's\n" + culvert.logTail(30));
            assertTrue(rig.pingServer(2).noLoss(), () -> name + ": tunnel ping failed\n" + culvert.logTail(30));
        }
    }

    private static OpenvpnProcess culvert(InteropRig rig, Path conf, String name) {
        return OpenvpnProcess.command(rig.clientNs(), rig.dir(), rig.dir().resolve(name + "-culvert.log"),
                OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", conf.toString());
    }

    /** The client namespace's routes through tun0, without the kernel's own prefix route for the address. */
    private static Set<String> tunnelRoutes(InteropRig rig) {
        return rig.clientNs().exec(T, "ip", "-4", "route", "show").output().lines()
                .filter(l -> l.contains("dev tun0") && !l.contains("proto kernel"))
                .map(String::strip)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
