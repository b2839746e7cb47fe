package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.tun.InMemoryTun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PUSH_UPDATE that moves a client's address (OpenVPN 2.7 {@code push-update-cid CID "ifconfig …"}), Culvert server
 * to Culvert clients over loopback: the client's tunnel takes the new address, the server routes the new address to
 * it and the old one no longer, and an address another client has is refused before anything is sent.
 */
class ServerAddressMoveTest {

    @Test
    void aMovedClientIsReachedAtItsNewAddressOnly(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16)) {
            int a = net.addClient();
            InMemoryTun ta = net.awaitConnected(a, 20);
            String old = net.addressOf(a);
            int peer = net.server.instances().getFirst().peerId();

            assertEquals(1, net.server.pushUpdate(peer, "ifconfig 10.8.0.50 255.255.255.0"));
            awaitAddress(net, a, "10.8.0.50");
            assertEquals(List.of("10.8.0.50"), instance(net, peer).virtualAddresses(), "the server's list shows the move");

            byte[] fromNew = Icmp.echo("10.8.0.50", "10.8.0.1", 1);
            ta.inject(fromNew);
            assertArrayEquals(fromNew, net.serverDevice.takeWritten(5, TimeUnit.SECONDS), "the new address is the client's");
            byte[] toNew = Icmp.echo("10.8.0.1", "10.8.0.50", 2);
            net.serverDevice.inject(toNew);
            assertArrayEquals(toNew, ta.takeWritten(5, TimeUnit.SECONDS), "the new address is routed to the client");

            net.serverDevice.inject(Icmp.echo("10.8.0.1", old, 3));
            assertNull(ta.takeWritten(300, TimeUnit.MILLISECONDS), "the old address is no longer routed to it");
            ta.inject(Icmp.echo(old, "10.8.0.1", 4));
            assertNull(net.serverDevice.takeWritten(300, TimeUnit.MILLISECONDS), "nor may it send from it");
        }
    }

    @Test
    void anAddressAnotherClientHasIsRefusedAndNothingIsSent(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16)) {
            int a = net.addClient();
            int b = net.addClient();
            net.awaitConnected(a, 20);
            net.awaitConnected(b, 20);
            String addrA = net.addressOf(a);
            String addrB = net.addressOf(b);
            int peerA = net.server.instances().stream().filter(i -> i.virtualAddresses().contains(addrA)).findFirst()
                    .orElseThrow().peerId();

            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                    () -> net.server.pushUpdate(peerA, "ifconfig " + addrB + " 255.255.255.0"));
            assertTrue(taken.getMessage().contains("another connected client"), taken.getMessage());
            IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
                    () -> net.server.pushUpdate(-1, "ifconfig 10.8.0.60 255.255.255.0"));
            assertTrue(all.getMessage().contains("one client"), all.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> net.server.pushUpdate(peerA, "ifconfig-ipv6 fd00::5/48 fd00::1"));
            assertTrue(bad.getMessage().contains("between 64 and 124"), bad.getMessage());

            Thread.sleep(300);
            assertEquals(addrA, net.addressOf(a), "a refused move leaves the client where it was");
            assertEquals(List.of(addrA), instance(net, peerA).virtualAddresses());
        }
    }

    private static InstanceInfo instance(LoopbackNetwork net, int peer) {
        return net.server.instances().stream().filter(i -> i.peerId() == peer).findFirst().orElseThrow();
    }

    private static void awaitAddress(LoopbackNetwork net, int index, String address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (address.equals(net.addressOf(index))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("client " + index + " still at " + net.addressOf(index));
    }
}
