package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.tun.InMemoryTun;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Culvert server and Culvert clients over loopback sockets with in-memory devices: no root needed. */
class ServerLoopbackTest {

    @Test
    void clientsReachTheServerAndEachOtherInsideTheServer(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, true, false, 16)) {
            int a = net.addClient();
            int b = net.addClient();
            InMemoryTun ta = net.awaitConnected(a, 20);
            InMemoryTun tb = net.awaitConnected(b, 20);
            String addrA = net.addressOf(a);
            String addrB = net.addressOf(b);

            byte[] toServer = Icmp.echo(addrA, "10.8.0.1", 1);
            ta.inject(toServer);
            assertArrayEquals(toServer, net.serverDevice.takeWritten(5, TimeUnit.SECONDS), "client → server device");

            byte[] fromServer = Icmp.echo("10.8.0.1", addrA, 2);
            net.serverDevice.inject(fromServer);
            assertArrayEquals(fromServer, ta.takeWritten(5, TimeUnit.SECONDS), "server device → client");

            byte[] c2c = Icmp.echo(addrA, addrB, 3);
            ta.inject(c2c);
            assertArrayEquals(c2c, tb.takeWritten(5, TimeUnit.SECONDS), "client → client inside the server");
            assertNull(net.serverDevice.takeWritten(300, TimeUnit.MILLISECONDS), "client-to-client never touches the device");

            int peerA = net.server.instances().stream().filter(i -> i.virtualAddresses().contains(addrA)).findFirst().orElseThrow().peerId();
            int peerB = net.server.instances().stream().filter(i -> i.virtualAddresses().contains(addrB)).findFirst().orElseThrow().peerId();
            FlowEdge edge = net.server.flows().stream()
                    .filter(f -> f.source() == peerA && f.destination() == peerB && f.kind() == FlowEdge.Kind.CLIENT_TO_CLIENT)
                    .findFirst().orElseThrow(() -> new AssertionError("no client-to-client edge in " + net.server.flows()));
            assertEquals(1, edge.packets());
            assertEquals(c2c.length, edge.bytes());
            assertTrue(net.server.flows().stream().anyMatch(f -> f.source() == peerA && f.destination() == FlowEdge.SERVER
                    && f.kind() == FlowEdge.Kind.UNICAST_VIA_SERVER && f.packets() == 1));
        }
    }

    @Test
    void aKickedClientIsGoneFromTheListWhenKickReturns(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16)) {
            int a = net.addClient();
            net.awaitConnected(a, 20);
            int peer = net.server.instances().getFirst().peerId();
            assertTrue(net.server.kick(peer), "kick finds the connected client");
            assertTrue(net.server.instances().stream().noneMatch(i -> i.peerId() == peer), "still listed after the kick");
            assertFalse(net.server.kick(peer), "a second kick finds nobody");
            assertFalse(net.server.kick(999), "no such client");
        }
    }

    @Test
    void twoClientsSharingACertificateDoNotBounceEachOther(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16, false)) {
            int a = net.addClient();
            net.awaitConnected(a, 20);
            int b = net.addClient();
            net.awaitConnected(b, 20);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until) {
                assertEquals(ConnectionState.CONNECTED, net.clients.get(a).state(),
                        "the replaced client was told to come back (OpenVPN drops it silently)");
                assertEquals(ConnectionState.CONNECTED, net.clients.get(b).state(), "the new login was replaced in turn");
                Thread.sleep(20);
            }
            assertEquals(1, net.server.instances().size(), "one instance for the shared common name");
        }
    }
}
