package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client-to-client pair policy (ADR 0037) through a real server: {@code ./culvert server} with
 * {@code client-to-client} and {@code setenv opt culvert-c2c-deny alice bob}, three stock openvpn 2.6 clients alice,
 * bob and carol (UDP, tls-crypt, tun, subnet). Alice reaches carol but not bob (nor bob alice), bob still reaches
 * carol, and the server's flow data (the FLOW lines of its status file, written from the same counters the engine
 * API's {@code ServerHandle.flows()} returns) shows alice's pings to bob as DENIED and none delivered. Stock openvpn
 * then runs the very same server.conf: it skips the {@code setenv opt} line and lets every pair talk.
 */
@NetnsTest
@ControlPlaneOnly
@CulvertFeature
class PairPolicyInteropTest {
    private static final int N = 10;
    private static final int ALICE = 1;
    private static final int BOB = 2;
    private static final int CAROL = 3;

    @Test
    void aliceReachesCarolButNotBobAndTheDeniedPingsAreCounted(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.createNamed(Scenario.UDP_TLS_CRYPT_GCM, dir,
                List.of("alice", "bob", "carol"), "client-to-client", "setenv opt culvert-c2c-deny alice bob")) {
            // No IPv6 chatter (router solicitations to ff02::2 are broadcast copies the policy withholds too).
            rig.sysctlEverywhere("net.ipv6.conf.all.disable_ipv6", "1");
            rig.sysctlEverywhere("net.ipv6.conf.default.disable_ipv6", "1");
            rig.startCulvertServer();
            rig.startStockClients();
            String bob = rig.tunnelAddr(BOB);
            String carol = rig.tunnelAddr(CAROL);

            PingResult aliceToCarol = rig.clientNs(ALICE).ping(carol, N);
            assertTrue(aliceToCarol.noLoss(), () -> "alice -> carol: " + aliceToCarol.output()
                    + "\nserver:\n" + rig.serverLogTail(30));
            PingResult bobToCarol = rig.clientNs(BOB).ping(carol, 3);
            assertTrue(bobToCarol.noLoss(), () -> "bob -> carol: " + bobToCarol.output());
            PingResult aliceToBob = rig.clientNs(ALICE).ping(bob, N);
            assertEquals(0, aliceToBob.received(), () -> "alice reached bob through a denied pair:\n" + aliceToBob.output());
            PingResult bobToAlice = rig.clientNs(BOB).ping(rig.tunnelAddr(ALICE), 3);
            assertEquals(0, bobToAlice.received(), () -> "bob reached alice:\n" + bobToAlice.output());

            StatusSnapshot status = rig.awaitFreshStatus();
            long denied = status.packets("alice", "bob", "DENIED");
            assertTrue(denied >= aliceToBob.transmitted() && aliceToBob.transmitted() >= N,
                    () -> "alice -> bob DENIED " + denied + " after " + aliceToBob.transmitted() + " pings\n" + status.text());
            assertTrue(status.bytes("alice", "bob", "DENIED") >= denied * 84, status::text);
            assertTrue(status.packets("bob", "alice", "DENIED") >= 3, status::text);
            assertEquals(0, status.packets("alice", "bob", "CLIENT_TO_CLIENT"), status::text);
            assertEquals(0, status.packets("alice", "bob", "UNICAST_VIA_SERVER"), "not handed to the host either\n"
                    + status.text());
            assertTrue(status.packets("alice", "carol", "CLIENT_TO_CLIENT") >= N, status::text);
            assertEquals(0, status.packets("alice", "carol", "DENIED"), status::text);
            System.out.printf("pair policy: alice -> carol %d/%d, alice -> bob %d/%d, denied alice -> bob %d packets%n",
                    aliceToCarol.received(), aliceToCarol.transmitted(), aliceToBob.received(),
                    aliceToBob.transmitted(), denied);
            CulvertServerInteropTest.sameConfigUnderStockServer(rig, status);
        }
    }
}
