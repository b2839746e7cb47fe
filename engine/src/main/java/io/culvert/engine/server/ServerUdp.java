package io.culvert.engine.server;

import io.culvert.engine.common.EventLoop;
import io.culvert.engine.sys.LinuxUdpSocket;
import io.culvert.engine.sys.Offloads;
import io.culvert.engine.sys.Received;
import io.culvert.engine.sys.UdpLocal;
import io.culvert.engine.sys.UdpSocket;
import io.culvert.engine.transport.UdpTransport;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's UDP sockets: opening one with the server's buffer and offload settings, and the reader that takes its
 * datagrams (or GRO trains) to the core, through the fast path or the event loop's ring. Stateless; each reader runs
 * on its own thread.
 */
final class ServerUdp {
    private static final Logger LOG = LoggerFactory.getLogger(ServerUdp.class);

    private ServerUdp() {}

    /**
     * The server's UDP socket on {@code bind}, with GSO and GRO unless {@link Offloads#current()} is off. The send
     * buffer stays at the kernel's default, as stock OpenVPN leaves it without {@code sndbuf} (issue 10: a large one
     * only holds a standing backlog); the receive buffer asks for {@link UdpTransport#RECEIVE_BUFFER}, as the
     * client's does. With GRO the kernel queues a peer's train as one packet and drops it whole when the buffer is
     * full: at the kernel's default (208 KiB, a few trains) a Culvert client's bursts lost as many trains there as on
     * a link with 15 % random loss, and TCP through the tunnel collapsed. The IPv6 wildcard listens dual-stack (what
     * {@code proto udp} and {@code udp6} ask for; a host without IPv6 falls back to {@code 0.0.0.0}); the IPv4
     * wildcard ({@code proto udp4}) and a specific address listen on their own family only.
     */
    static UdpSocket open(InetSocketAddress bind) throws IOException {
        return open(bind, null);
    }

    /**
     * Like {@link #open(InetSocketAddress)}, bound to device {@code bindDev} ({@code bind-dev}, SO_BINDTODEVICE
     * before bind as OpenVPN's socket.c does; a failure is a warning there too) unless it is null.
     */
    static UdpSocket open(InetSocketAddress bind, String bindDev) throws IOException {
        boolean offload = Offloads.current().enabled();
        try {
            return LinuxUdpSocket.open(bind, null, 0, UdpTransport.RECEIVE_BUFFER, offload, offload, bindDev, LOG::warn);
        } catch (IOException e) {
            if (!(bind.getAddress() instanceof Inet6Address v6 && v6.isAnyLocalAddress())) {
                throw e;
            }
            // A host without IPv6 (ipv6.disable=1): the IPv6 wildcard of a family-less proto falls back to IPv4.
            LOG.info("no IPv6 socket here ({}); listening on IPv4 only", e.getMessage());
            return LinuxUdpSocket.open(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), bind.getPort()), null,
                    0, UdpTransport.RECEIVE_BUFFER, offload, offload, bindDev, LOG::warn);
        }
    }

    /**
     * How a UDP reader names where its datagrams came from: the socket's index among the server's UDP sockets, and
     * whether to carry each datagram's local address ({@code multihome}) and interface ({@code same-interface}).
     */
    record Via(int socket, boolean multihome, boolean sameInterface) {
        static final Via FIRST = new Via(0, false, false);
    }

    /** {@link #read(UdpSocket, Via, EventLoop.PacketRing, int, Runnable, ReaderFastPath)} for the only UDP socket. */
    static void read(UdpSocket udp, EventLoop.PacketRing ring, int slotBytes, Runnable oversized) {
        read(udp, Via.FIRST, ring, slotBytes, oversized, null);
    }

    /** {@link #read(UdpSocket, Via, EventLoop.PacketRing, int, Runnable, ReaderFastPath)} for the only UDP socket. */
    static void read(UdpSocket udp, EventLoop.PacketRing ring, int slotBytes, Runnable oversized, ReaderFastPath fast) {
        read(udp, Via.FIRST, ring, slotBytes, oversized, fast);
    }

    /**
     * Receives datagrams or GRO trains into one reused array and publishes each datagram of a train, split at its
     * segment size, into its own ring slot with its {@link LinkEndpoint.Udp} (one object per sender and local address,
     * kept while they stay the same, so a steady stream allocates nothing); a datagram larger than a slot is counted
     * by {@code oversized} and dropped (no honest peer sends one: the slot holds the device MTU plus every OpenVPN
     * overhead). With a {@code fast} path the reader first runs the train's data packets for instances through the core
     * itself (ADR 0041), when its ring is idle so that nothing it handed over earlier is overtaken; the first datagram
     * the fast path does not take, and all after it, go into the ring.
     */
    static void read(UdpSocket udp, Via via, EventLoop.PacketRing ring, int slotBytes, Runnable oversized,
            ReaderFastPath fast) {
        byte[] trainBuf = new byte[UdpSocket.MAX_DATAGRAM];
        Received from = new Received();
        LinkEndpoint.Udp endpoint = null;
        UdpLocal endpointLocal = null;
        while (true) {
            try {
                int n = udp.receive(trainBuf, 0, trainBuf.length, from);
                if (n < 0) {
                    return;
                }
                int segment = from.segmentSize() > 0 ? from.segmentSize() : Math.max(n, 1);
                int count = n == 0 ? 1 : (n + segment - 1) / segment; // an empty datagram goes on, to be counted
                InetSocketAddress sender = from.sender();
                UdpLocal local = via.multihome() ? from.local() : null;
                if (endpoint == null || endpoint.address() != sender || endpointLocal != local) {
                    endpointLocal = local;
                    // Without same-interface the routing table picks the way out (OpenVPN 2.7: ipi_ifindex=0).
                    UdpLocal replyFrom = local == null || via.sameInterface() || local.ifindex() == 0 ? local
                            : new UdpLocal(local.address(), 0);
                    endpoint = new LinkEndpoint.Udp(sender, via.socket(), replyFrom);
                }
                int i = fast != null && ring.idle()
                        ? fast.udp(endpoint, trainBuf, n, segment, count, slotBytes, oversized) : 0;
                for (; i < count; i++) {
                    int at = i * segment;
                    int piece = Math.min(segment, n - at);
                    if (piece > slotBytes) {
                        oversized.run();
                        continue;
                    }
                    int slot = ring.claim();
                    if (slot < 0) {
                        return;
                    }
                    System.arraycopy(trainBuf, at, ring.buffer(slot), 0, piece);
                    ring.publish(slot, piece, endpoint);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("UDP receive: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
