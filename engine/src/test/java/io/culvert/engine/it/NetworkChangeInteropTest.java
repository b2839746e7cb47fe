package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a {@code ./culvert client} connected to the stock openvpn server over one path moves to a second path when
 * the route to the server changes, within 3 s and without waiting for ping-restart (10 s here), and its log says why.
 * The server listens on 10.201.1.1, on veth 1 (10.201.1.0/24), which the client reaches on the link; then a host route
 * sends 10.201.1.1 via the server's end of veth 2 (10.202.1.0/24) instead, and the new connection comes from
 * 10.202.1.2. A route that does not touch the way to the server changes nothing.
 */
@NetnsTest
class NetworkChangeInteropTest {
    private static final Duration BOUND = Duration.ofSeconds(3);

    @Test
    void routeToTheServerMovesAndTheClientReconnectsAtOnce(@TempDir Path dir) throws Exception {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            Duration t = Duration.ofSeconds(10);
            String server = rig.serverAddr();
            VethLink second = Netns.link(rig.serverNs(), "10.202.1.1/24", rig.clientNs(), "10.202.1.2/24");

            OpenvpnProcess client = rig.startCulvertClient();
            assertPings(rig, client);
            assertTrue(rig.server().log().contains(rig.link().addrB()), () -> rig.server().logTail(20));

            // a route elsewhere, even via the second path: the route to the server stays, so does the connection
            rig.clientNs().exec(t, "ip", "route", "add", "10.99.0.0/16", "via", second.addrA()).orThrow("unrelated route");
            Thread.sleep(1500);
            assertFalse(client.log().contains("network changed"), () -> client.logTail(20));

            long changed = System.nanoTime();
            rig.clientNs().exec(t, "ip", "route", "add", server + "/32", "via", second.addrA(), "dev", second.nameB())
                    .orThrow("second path");
            String why = "network changed: route to " + server + " now via " + second.nameB() + " gateway " + second.addrA();
            long back = awaitReady(client, 2, changed);
            System.out.printf("network change: reconnected in %d ms%n", back);
            assertTrue(client.log().contains(why), () -> "no '" + why + "' in:\n" + client.logTail(30));
            assertFalse(client.log().contains("KEEPALIVE_TIMEOUT"), () -> client.logTail(30));
            assertPings(rig, client);
            assertTrue(rig.server().log().contains(second.addrB()), () -> "the server never saw the second path:\n"
                    + rig.server().logTail(30));
            client.stop();
        }
    }

    private static long awaitReady(OpenvpnProcess client, int n, long since) throws InterruptedException {
        while (true) {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            if (client.log().lines().filter(l -> l.contains(OpenvpnProcess.READY)).count() >= n) {
                return elapsed;
            }
            if (!client.isAlive() || elapsed > BOUND.toMillis()) {
                throw new AssertionError("no reconnect within " + BOUND + " (alive=" + client.isAlive() + "); log tail:\n"
                        + client.logTail(40));
            }
            Thread.sleep(50);
        }
    }

    /** Five pings without loss; one retry, because on a loaded machine a ping right after a reconnect can be late. */
    private static void assertPings(InteropRig rig, OpenvpnProcess client) throws InterruptedException {
        PingResult first = rig.pingServer(5);
        if (first.noLoss()) {
            return;
        }
        Thread.sleep(1000);
        PingResult ping = rig.pingServer(5);
        assertTrue(ping.noLoss(), () -> "pings lost twice:\n" + first.output() + "\n" + ping.output() + "\nclient log:\n"
                + client.logTail(40));
    }
}
