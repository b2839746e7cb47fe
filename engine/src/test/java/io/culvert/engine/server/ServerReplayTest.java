package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.tun.InMemoryTun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker on the path who wins a race (forwarding one of the client's data packets from its own address
 * before the client's copy arrives) makes the instance float away from the client's address. Replaying the
 * client's handshake from that address then carries a cookie that is still valid; the server must see it as a
 * replay of a session it already has, not allocate a second instance.
 */
class ServerReplayTest {

    @Test
    void replayedHandshakeFromAnAddressTheInstanceFloatedAwayFromAllocatesNothing(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16);
                Relay relay = new Relay(net.server.boundAddress())) {
            int a = net.addClient(relay.port());
            InMemoryTun ta = net.awaitConnected(a, 20);
            String addrA = net.addressOf(a);
            assertEquals(1, net.server.instances().size());
            String realAddress = net.server.instances().getFirst().realAddress();

            relay.divertNextData.set(true);
            byte[] ping = Icmp.echo(addrA, "10.8.0.1", 1);
            ta.inject(ping);
            assertArrayEquals(ping, net.serverDevice.takeWritten(5, TimeUnit.SECONDS), "the diverted packet is genuine");
            awaitTrue(() -> !net.server.instances().getFirst().realAddress().equals(realAddress), "the instance floated");

            for (byte[] handshake : relay.controlFromClient.subList(0, Math.min(4, relay.controlFromClient.size()))) {
                relay.back.write(ByteBuffer.wrap(handshake));
            }
            Thread.sleep(500);
            assertEquals(1, net.server.instancesCreated(), () -> "instances: " + net.server.instances());

            byte[] after = Icmp.echo(addrA, "10.8.0.1", 2);
            ta.inject(after);
            assertArrayEquals(after, net.serverDevice.takeWritten(5, TimeUnit.SECONDS), "the client still gets through");
            awaitTrue(() -> net.server.instances().getFirst().realAddress().equals(realAddress), "the instance floated back");
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Forwards client ↔ server on loopback, records the client's control packets and can divert one data packet. */
    private static final class Relay implements AutoCloseable {
        final DatagramChannel front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        final DatagramChannel back = DatagramChannel.open();
        final DatagramChannel attacker = DatagramChannel.open();
        final List<byte[]> controlFromClient = new CopyOnWriteArrayList<>();
        final AtomicBoolean divertNextData = new AtomicBoolean();
        private volatile SocketAddress client;
        private final List<Thread> threads;

        Relay(InetSocketAddress server) throws IOException {
            back.connect(server);
            attacker.connect(server);
            threads = List.of(Thread.ofPlatform().daemon().start(this::up), Thread.ofPlatform().daemon().start(() -> down(back)),
                    Thread.ofPlatform().daemon().start(() -> down(attacker)));
        }

        int port() throws IOException {
            return ((InetSocketAddress) front.getLocalAddress()).getPort();
        }

        private void up() {
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    buf.clear();
                    client = front.receive(buf);
                    buf.flip();
                    byte[] packet = Arrays.copyOf(buf.array(), buf.limit());
                    int opcode = (packet[0] & 0xff) >>> 3;
                    boolean data = opcode == 6 || opcode == 9;
                    if (!data) {
                        controlFromClient.add(packet);
                    }
                    if (data && divertNextData.compareAndSet(true, false)) {
                        attacker.write(ByteBuffer.wrap(packet));
                    } else {
                        back.write(ByteBuffer.wrap(packet));
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void down(DatagramChannel from) {
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    buf.clear();
                    from.receive(buf);
                    buf.flip();
                    if (client != null) {
                        front.send(buf, client);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws Exception {
            front.close();
            back.close();
            attacker.close();
            for (Thread t : threads) {
                t.join(2000);
            }
        }
    }
}
