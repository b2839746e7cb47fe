package io.culvert.engine.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code multihome} at the socket, on loopback (no root: all of 127/8 is local): a server socket bound to the
 * wildcard learns which address a datagram was sent to, and a reply sent from that address leaves from it; without
 * one the kernel picks the source (for a peer on 127.0.0.1, 127.0.0.1), which a stock client that dialled
 * 127.0.0.2 would reject. Both on an IPv4 socket and on the dual-stack IPv6 one a {@code proto udp} server opens,
 * and over IPv6 itself.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(20)
class UdpPacketInfoTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void anIpv4SocketAnswersFromTheDialledAddress() throws Exception {
        answersFromTheDialledAddress("0.0.0.0", "127.0.0.1", "127.0.0.2");
    }

    @Test
    void theDualStackSocketAnswersAMappedClientFromTheDialledAddress() throws Exception {
        answersFromTheDialledAddress("::", "127.0.0.1", "127.0.0.2");
    }

    @Test
    void anIpv6ClientToo() throws Exception {
        answersFromTheDialledAddress("::", "::1", "::1");
    }

    private void answersFromTheDialledAddress(String wildcard, String clientAddr, String dialled) throws Exception {
        LinuxUdpSocket server = track(LinuxUdpSocket.open(new InetSocketAddress(InetAddress.getByName(wildcard), 0),
                null, 0, 0, true, true));
        server.receivePacketInfo();
        DatagramChannel client = track(DatagramChannel.open());
        client.bind(new InetSocketAddress(InetAddress.getByName(clientAddr), 0));
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(dialled), server.localAddress().getPort());
        client.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), target);

        byte[] buf = new byte[2048];
        Received from = new Received();
        assertEquals(3, server.receive(buf, 0, buf.length, from));
        assertEquals(InetAddress.getByName(dialled), from.local().address());
        UdpLocal seen = from.local();
        client.send(ByteBuffer.wrap(new byte[] {4}), target);
        server.receive(buf, 0, buf.length, from);
        assertEquals(seen, from.local());
        assertEquals(true, seen == from.local(), "the same local address is kept, not made again");

        // A reply from the dialled address, one datagram and a train.
        server.send(new byte[] {9, 9}, 0, 2, from.sender(), new UdpLocal(seen.address(), 0));
        assertEquals(InetAddress.getByName(dialled), sourceOf(client));
        byte[] train = new byte[300];
        server.sendTrain(train, 0, 300, 100, from.sender(), new UdpLocal(seen.address(), 0));
        for (int i = 0; i < 3; i++) {
            assertEquals(InetAddress.getByName(dialled), sourceOf(client));
        }
        // Without it, the kernel chooses (the client's own address on loopback).
        server.send(new byte[] {7}, 0, 1, from.sender(), null);
        assertEquals(InetAddress.getByName(clientAddr), sourceOf(client));
    }

    @Test
    void withoutPacketInfoThereIsNoLocalAddress() throws Exception {
        LinuxUdpSocket server = track(LinuxUdpSocket.open(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
                null, 0, 0, true, true));
        DatagramChannel client = track(DatagramChannel.open());
        client.send(ByteBuffer.wrap(new byte[] {1}), server.localAddress());
        Received from = new Received();
        server.receive(new byte[64], 0, 64, from);
        assertNull(from.local());
    }

    private static InetAddress sourceOf(DatagramChannel client) throws Exception {
        InetSocketAddress src = (InetSocketAddress) client.receive(ByteBuffer.allocate(2048));
        InetAddress a = src.getAddress();
        return a.getAddress().length == 16 && a.isLoopbackAddress() ? a : InetAddress.getByAddress(a.getAddress());
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }
}
