package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code client-to-client} on and off in {@code ./culvert server} with three stock openvpn 2.6 clients (UDP,
 * tls-crypt, tun, subnet). On: client pings are routed inside the server, the server's TUN device sees none of
 * them and the status file's CLIENT_TO_CLIENT counters show them. Off: the server hands them to the device and the
 * host decides: with {@code ip_forward=0} in the server namespace they are not delivered, with
 * {@code ip_forward=1} the kernel routes them back out of the device.
 */
@NetnsTest
class ClientToClientInteropTest {
    private static final int N = 20;

    @Test
    void clientToClientStaysInsideTheServer(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 3, "client-to-client")) {
            // No IPv6 autoconfiguration chatter (router solicitations) on the devices: the count must be exact.
            rig.sysctlEverywhere("net.ipv6.conf.all.disable_ipv6", "1");
            rig.sysctlEverywhere("net.ipv6.conf.default.disable_ipv6", "1");
            rig.startCulvertServer();
            rig.startStockClients();
            String to = rig.tunnelAddr(2);
            DeviceCounters before = rig.serverDeviceCounters();
            PingResult ping = rig.clientNs(1).ping(to, N);
            DeviceCounters seen = rig.serverDeviceCounters().minus(before);
            assertTrue(ping.noLoss(), () -> ping.output() + "\nserver:\n" + rig.serverLogTail(30));
            // Nothing else talks over the server's device during the pings, so any growth would be these packets.
            assertEquals(0, seen.rxPackets(), () -> "server device received client-to-client packets: " + seen);
            assertEquals(0, seen.txPackets(), () -> "server device sent packets: " + seen);
            StatusSnapshot status = rig.awaitFreshStatus();
            long there = status.packets("client1", "client2", "CLIENT_TO_CLIENT");
            long back = status.packets("client2", "client1", "CLIENT_TO_CLIENT");
            assertTrue(there >= N && back >= N, () -> "pair counters " + there + "/" + back + " after " + N
                    + " pings\n" + status.text());
            assertTrue(status.bytes("client1", "client2", "CLIENT_TO_CLIENT") >= N * 84L, status::text);
            assertEquals(0, status.packets("client1", "client2", "UNICAST_VIA_SERVER"), status::text);
            System.out.printf("client-to-client on: %d pings, device delta %s, pair counters %d/%d%n", N, seen, there, back);
            CulvertServerInteropTest.sameConfigUnderStockServer(rig, status);
        }
    }

    @Test
    void withoutClientToClientTheHostDecides(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 3)) {
            rig.serverNs().exec(java.time.Duration.ofSeconds(5), "sysctl", "-qw", "net.ipv4.ip_forward=0")
                    .orThrow("ip_forward=0");
            rig.startCulvertServer();
            rig.startStockClients();
            PingResult server = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 2);
            assertTrue(server.noLoss(), server::output);
            String to = rig.tunnelAddr(2);
            StatusSnapshot statusBefore = rig.awaitFreshStatus();
            DeviceCounters before = rig.serverDeviceCounters();
            PingResult ping = rig.clientNs(1).ping(to, N);
            DeviceCounters seen = rig.serverDeviceCounters().minus(before);
            assertEquals(0, ping.received(), () -> "client-to-client delivered without client-to-client:\n" + ping.output());
            assertTrue(seen.rxPackets() >= N, () -> "server device saw only " + seen + " for " + N + " pings");
            StatusSnapshot status = rig.awaitFreshStatus();
            assertEquals(0, status.packets("client1", "client2", "CLIENT_TO_CLIENT"), status::text);
            long viaServer = status.packets("client1", "server", "UNICAST_VIA_SERVER")
                    - statusBefore.packets("client1", "server", "UNICAST_VIA_SERVER");
            assertTrue(viaServer >= N, () -> "client1 -> server grew by " + viaServer + "\n" + status.text());

            // The host decides: with forwarding on, the kernel routes them back out of the device to client 2.
            rig.serverNs().exec(java.time.Duration.ofSeconds(5), "sysctl", "-qw", "net.ipv4.ip_forward=1")
                    .orThrow("ip_forward=1");
            DeviceCounters before2 = rig.serverDeviceCounters();
            PingResult forwarded = rig.clientNs(1).ping(to, N);
            DeviceCounters seen2 = rig.serverDeviceCounters().minus(before2);
            assertTrue(forwarded.noLoss(), () -> "with ip_forward=1:\n" + forwarded.output());
            assertTrue(seen2.rxPackets() >= 2L * N && seen2.txPackets() >= 2L * N,
                    () -> "requests and replies both cross the device twice: " + seen2);
            StatusSnapshot status2 = rig.awaitFreshStatus();
            assertEquals(0, status2.packets("client1", "client2", "CLIENT_TO_CLIENT"), status2::text);
            assertTrue(status2.packets("server", "client2", "UNICAST_VIA_SERVER") >= N, status2::text);
            System.out.printf("client-to-client off: %d pings, 0 delivered (ip_forward=0), device delta %s; "
                    + "ip_forward=1: delivered, device delta %s%n", N, seen, seen2);
            CulvertServerInteropTest.sameConfigUnderStockServer(rig, status2);
        }
    }
}
