package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.client.ClientSession;
import io.culvert.engine.client.PushedConfig;
import io.culvert.engine.client.SessionIo;
import io.culvert.engine.client.SessionSettings;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.testkit.ManualClock;
import io.culvert.engine.testkit.MemoryPki;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole server core without a socket or a device: our clients reach it through an in-memory link (every datagram
 * the core sends is handed to the client at that address), through the stateless cookie start, and then talk to the
 * device and to each other through the packet switch; floating, kick and the timeout removal are seen from outside.
 */
class ServerCoreTest {
    private final ManualClock clock = new ManualClock();
    private final MemoryPki pki = MemoryPki.shared();
    private final List<byte[]> deviceWrites = new ArrayList<>();
    private final List<EngineEvent.Instance> events = new ArrayList<>();
    private final Map<InetSocketAddress, Client> clients = new HashMap<>();
    private final RecordingLink link = new RecordingLink();
    private final ServerCore core;

    ServerCoreTest() throws Exception {
        ServerSettings settings = ServerSettings.builder(pki.serverTls()).wrap(ControlWrapSpec.tlsCrypt(pki.tlsCryptKey()))
                .dataCiphers(List.of("AES-256-GCM")).keepalive(10, 60).renegSec(0).build();
        core = new ServerCore(settings, new LoopbackNetwork.SubnetAdmission(),
                (b, off, len) -> deviceWrites.add(java.util.Arrays.copyOfRange(b, off, off + len)), link, true,
                io.culvert.engine.common.PairPolicy.OPEN, (Inet4Address) InetAddress.getByName("10.8.0.255"), 4, true,
                e -> {
                    if (e instanceof EngineEvent.Instance i) {
                        events.add(i);
                    }
                }, clock, new SecureRandom(), Runnable::run);
    }

    /** One of our clients at a real address; what it sends is fed to the core as coming from that address. */
    private final class Client implements SessionIo {
        InetSocketAddress address;
        final ClientSession session;
        final List<byte[]> tun = new ArrayList<>();
        final List<byte[]> outbox = new ArrayList<>();

        Client(int port) {
            address = new InetSocketAddress("192.0.2.7", port);
            SessionSettings cs = SessionSettings.builder(pki.clientTls()).wrap(ControlWrapSpec.tlsCrypt(pki.tlsCryptKey()))
                    .dataCiphers(List.of("AES-256-GCM")).renegSec(0).mssfix(io.culvert.engine.common.Mssfix.OFF)
                    .explicitExitNotify(1).build();
            session = new ClientSession(cs, this, clock, new SecureRandom());
            clients.put(address, this);
        }

        void moveTo(int port) {
            clients.remove(address);
            address = new InetSocketAddress("192.0.2.7", port);
            clients.put(address, this);
        }

        @Override
        public void sendLink(byte[] packet) {
            outbox.add(packet);
        }

        @Override
        public void writeTun(byte[] buf, int off, int len) {
            tun.add(java.util.Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void configureTunnel(PushedConfig config, String cipher, String tlsDescription) {}

        @Override
        public void state(ConnectionState state, String detail) {}

        @Override
        public void log(EngineEvent.Level level, String message) {}

        @Override
        public void dropped(DropReason reason) {}
    }

    /** Moves packets both ways until nobody has anything to send. */
    private void pump() {
        for (int round = 0; round < 10_000; round++) {
            boolean moved = false;
            for (Client c : List.copyOf(clients.values())) {
                List<byte[]> out = List.copyOf(c.outbox);
                c.outbox.clear();
                for (byte[] p : out) {
                    core.onUdp(c.address, p, p.length);
                    moved = true;
                }
            }
            while (!link.sent.isEmpty()) {
                RecordingLink.Sent s = link.take();
                Client c = clients.get(s.to().address());
                if (c != null) {
                    c.session.onLink(s.packet(), 0, s.packet().length);
                }
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("link never went quiet");
    }

    private void step() {
        clock.advance(Duration.ofMillis(250));
        for (Client c : clients.values()) {
            c.session.tick();
        }
        core.tick();
        pump();
    }

    private Client connect(int port) throws EngineException {
        Client c = new Client(port);
        c.session.start();
        pump();
        for (int i = 0; i < 200 && !c.session.connected(); i++) {
            step();
        }
        assertTrue(c.session.connected(), "client connected");
        return c;
    }

    private String virtualAddress(Client c) {
        return core.instances().stream().filter(i -> i.realAddress().equals(Addresses.text(c.address))).findFirst()
                .orElseThrow().virtualAddresses().getFirst();
    }

    @Test
    void clientsStartStatelesslyThenReachTheDeviceAndEachOther() throws Exception {
        Client a = connect(50001);
        Client b = connect(50002);
        assertEquals(2, core.instanceCount());
        assertEquals(2, core.instancesCreated());
        assertEquals(List.of(Addresses.text(a.address), Addresses.text(b.address)),
                core.instances().stream().map(InstanceInfo::realAddress).toList());

        byte[] toServer = Icmp.echo(virtualAddress(a), "10.8.0.1", 1);
        a.session.onTun(toServer, 0, toServer.length);
        pump();
        assertEquals(1, deviceWrites.size(), "a packet for the server's side goes to the device");
        assertArrayEquals(toServer, deviceWrites.getFirst());

        byte[] toB = Icmp.echo(virtualAddress(a), virtualAddress(b), 2);
        a.session.onTun(toB, 0, toB.length);
        pump();
        assertEquals(1, b.tun.size(), "client-to-client: a's packet reaches b");
        assertArrayEquals(toB, b.tun.getFirst());

        byte[] fromDevice = Icmp.echoReply("10.8.0.1", virtualAddress(a), 1);
        core.onDevice(fromDevice, fromDevice.length);
        pump();
        assertEquals(1, a.tun.size(), "a device packet for a's address reaches a");
        assertArrayEquals(fromDevice, a.tun.getFirst());
        assertTrue(core.flows().size() >= 3, () -> "flows: " + core.flows());
    }

    @Test
    void aClientThatFloatsIsAnsweredAtItsNewAddress() throws Exception {
        Client a = connect(50001);
        String virtual = virtualAddress(a);
        a.moveTo(50009);
        byte[] ping = Icmp.echo(virtual, "10.8.0.1", 1);
        a.session.onTun(ping, 0, ping.length);
        pump();
        assertEquals(1, deviceWrites.size());
        core.tick(); // the instance list is refreshed on the tick
        assertEquals(Addresses.text(a.address), core.instances().getFirst().realAddress(), "the instance floated");

        byte[] reply = Icmp.echoReply("10.8.0.1", virtual, 1);
        core.onDevice(reply, reply.length);
        assertEquals(new InetSocketAddress("192.0.2.7", 50009), link.sent.getFirst().to().address());
        pump();
        assertEquals(1, a.tun.size());
    }

    @Test
    void aForgedDataPacketFromAnotherAddressDoesNotMoveTheClient() throws Exception {
        Client a = connect(50001);
        byte[] ping = Icmp.echo(virtualAddress(a), "10.8.0.1", 1);
        a.session.onTun(ping, 0, ping.length);
        byte[] sealed = a.outbox.removeFirst();
        sealed[sealed.length - 1] ^= 1;
        core.onUdp(new InetSocketAddress("198.51.100.1", 4444), sealed, sealed.length);
        core.tick();
        assertEquals(Addresses.text(a.address), core.instances().getFirst().realAddress());
        assertTrue(deviceWrites.isEmpty());
    }

    @Test
    void kickTakesTheClientOffTheListAndFreesItsAddress() throws Exception {
        Client a = connect(50001);
        int peerId = core.instances().getFirst().peerId();
        String virtual = virtualAddress(a);
        assertFalse(core.kick(peerId + 1));
        assertTrue(core.kick(peerId));
        assertTrue(core.instances().isEmpty());
        assertEquals(EngineEvent.InstanceChange.KICKED, events.getLast().change());
        byte[] reply = Icmp.echoReply("10.8.0.1", virtual, 1);
        core.onDevice(reply, reply.length);
        pump();
        assertTrue(a.tun.isEmpty(), "nothing is routed to a kicked client");
    }

    @Test
    void aSilentClientIsRemovedAfterPingRestart() throws Exception {
        Client a = connect(50001);
        clients.remove(a.address);
        for (int i = 0; i < 4 * 70 && core.instanceCount() > 0; i++) {
            step();
        }
        assertEquals(0, core.instanceCount());
        assertEquals(EngineEvent.InstanceChange.DISCONNECTED, events.getLast().change());
    }

    @Test
    void aRefusedDatagramIsCountedAndAFailedTcpWriteClosesThatConnection() {
        LinkEndpoint udp = new LinkEndpoint.Udp(new InetSocketAddress("192.0.2.7", 50001));
        core.sendFailed(udp, io.culvert.engine.transport.SendRefusedException.classify(new java.io.IOException("ENOBUFS")));
        assertEquals(1L, core.drops().get("SEND_FAILED"));
        assertTrue(link.closed.isEmpty());
        LinkEndpoint tcp = new LinkEndpoint.Tcp(null, new InetSocketAddress("192.0.2.8", 50002));
        core.sendFailed(tcp, new java.io.IOException("Broken pipe"));
        assertEquals(List.of(tcp), link.closed);
        assertEquals(1L, core.drops().get("SEND_FAILED"));
    }

    @Test
    void aFullTableCountsNewClientsAsWindowFull() throws Exception {
        for (int i = 0; i < 4; i++) {
            connect(50001 + i);
        }
        Client fifth = new Client(50010);
        fifth.session.start();
        pump();
        step();
        assertEquals(4, core.instanceCount());
        assertTrue(core.drops().getOrDefault("WINDOW_FULL", 0L) > 0, () -> "drops: " + core.drops());
    }

    /** {@code packet} copied to offset {@code off} of a larger array, as it sits in the UDP reader's train buffer. */
    private static byte[] at(int off, byte[] packet) {
        byte[] b = new byte[off + packet.length + 33];
        System.arraycopy(packet, 0, b, off, packet.length);
        return b;
    }

    @Test
    void theFastPathTakesDataForAnInstanceWhereItLiesAndLeavesEverythingElseUntouched() throws Exception {
        // before any instance: a client's hard reset is not the fast path's, and nothing happens to it
        Client early = new Client(50001);
        early.session.start();
        byte[] reset = early.outbox.getFirst();
        assertFalse(core.onUdpData(new LinkEndpoint.Udp(early.address), at(5, reset), 5, reset.length));
        assertTrue(link.sent.isEmpty(), "no cookie reply from the fast path");
        assertEquals(Map.of(), core.drops());
        pump();
        for (int i = 0; i < 200 && !early.session.connected(); i++) {
            step();
        }
        assertTrue(early.session.connected());
        String virtual = virtualAddress(early);

        byte[] ping = Icmp.echo(virtual, "10.8.0.1", 1);
        early.session.onTun(ping, 0, ping.length);
        byte[] sealed = early.outbox.removeFirst();
        assertTrue(core.onUdpData(new LinkEndpoint.Udp(early.address), at(200, sealed), 200, sealed.length));
        assertEquals(1, deviceWrites.size(), "opened in place at its offset and written to the device");
        assertArrayEquals(ping, deviceWrites.getFirst());
        assertTrue(core.flows().stream().anyMatch(f -> f.packets() == 1 && f.bytes() == ping.length),
                () -> "the flow is counted as on the server thread: " + core.flows());

        // an authenticated data packet from a new address floats the instance, as onUdp does
        InetSocketAddress moved = new InetSocketAddress("192.0.2.7", 50009);
        early.session.onTun(ping, 0, ping.length);
        byte[] again = early.outbox.removeFirst();
        assertTrue(core.onUdpData(new LinkEndpoint.Udp(moved), at(1, again), 1, again.length));
        core.tick();
        assertEquals(Addresses.text(moved), core.instances().getFirst().realAddress());

        // a data packet nobody owns is the server thread's to count
        byte[] stray = sealed.clone();
        stray[3] = 77; // peer-id no instance has
        assertFalse(core.onUdpData(new LinkEndpoint.Udp(new InetSocketAddress("198.51.100.1", 4444)), stray, 0,
                stray.length));
        assertEquals(Map.of(), core.drops(), "nothing counted by the fast path for it");
        core.onUdp(new InetSocketAddress("198.51.100.1", 4444), stray, stray.length);
        assertEquals(1L, core.drops().get("UNEXPECTED"), () -> "drops: " + core.drops());
    }
}
