package io.culvert.engine.server;

import io.culvert.engine.sys.UdpLocal;
import io.culvert.engine.sys.UdpSocket;
import io.culvert.engine.transport.SendRefusedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * The runner's {@link LinkOutput}: UDP datagrams are held until {@link #flush()} at the end of the server thread's
 * wake-up (or until {@value #CAPACITY} are held) and then leave grouped by peer, in order per peer, as trains of
 * equal-size datagrams (the last of a train may be shorter): one {@link UdpSocket#sendTrain} per train, which is one
 * {@code sendmsg} with GSO, and a lone datagram with {@link UdpSocket#send}; without GSO each datagram goes alone.
 * A held datagram is copied into one reused arena, back to back in the order given, so nothing is allocated per
 * datagram and a train of consecutive datagrams (the usual case: one busy peer) leaves straight from the arena; a
 * train of datagrams interleaved with other peers' is gathered first. TCP packets are written at once on their
 * connection. Failures go back to
 * {@link ServerCore#sendFailed}: one per refused datagram, or per refused train (the kernel refuses a GSO train whole).
 * Not thread-safe: owned by the server thread.
 */
final class BatchedLinkOutput implements LinkOutput {
    /** Datagrams held at most: a wake-up's worth (the inbox hands over batches of at most this many packets). */
    static final int CAPACITY = 64;

    /** Bytes of held datagrams at most: a full ring of full-size datagrams fits; larger ones flush early. */
    static final int ARENA_BYTES = 256 * 1024;

    private final LinkEndpoint[] to = new LinkEndpoint[CAPACITY];
    /** The held datagrams, back to back: datagram i is {@code arena[at[i], at[i] + length[i])}. */
    private final byte[] arena = new byte[ARENA_BYTES];
    private final int[] at = new int[CAPACITY];
    private final int[] length = new int[CAPACITY];
    private int used;
    /** Indices of the held datagrams of the peer being flushed, in order. */
    private final int[] run = new int[CAPACITY];
    private final boolean[] sent = new boolean[CAPACITY];
    /** Where a train is laid out back to back; reused. */
    private final byte[] train = new byte[UdpSocket.MAX_DATAGRAM];
    private int held;

    /** The server's (first) UDP socket; null for a TCP server. */
    UdpSocket udp;
    /** Every UDP socket of a server with several (OpenVPN 2.7's {@code local} lines), by index; null: only {@link #udp}. */
    UdpSocket[] udps;
    /** Told about failed sends (the runner's is {@link ServerCore#sendFailed}); set before the first packet. */
    BiConsumer<LinkEndpoint, IOException> failures = (endpoint, e) -> { };

    @Override
    public void send(LinkEndpoint endpoint, byte[] packet) {
        send(endpoint, packet, 0, packet.length);
    }

    @Override
    public void send(LinkEndpoint endpoint, byte[] buf, int off, int len) {
        switch (endpoint) {
            case LinkEndpoint.Udp u -> {
                if (len > UdpSocket.MAX_DATAGRAM) {
                    throw new IllegalArgumentException("a datagram of " + len + " bytes");
                }
                if (held == CAPACITY || used + len > arena.length) {
                    flush();
                }
                System.arraycopy(buf, off, arena, used, len);
                to[held] = u;
                at[held] = used;
                length[held++] = len;
                used += len;
            }
            case LinkEndpoint.Tcp t -> {
                try {
                    t.transport().send(buf, off, len);
                } catch (IOException e) {
                    failed(t, e);
                }
            }
        }
    }

    @Override
    public void close(LinkEndpoint endpoint) {
        if (endpoint instanceof LinkEndpoint.Tcp t) {
            t.transport().close();
        }
    }

    /** Sends every held datagram: peer by peer in the order peers first appear, each peer's in the order given. */
    void flush() {
        for (int i = 0; i < held; i++) {
            if (sent[i]) {
                continue;
            }
            InetSocketAddress address = to[i].address();
            int n = 0;
            for (int j = i; j < held; j++) {
                if (!sent[j] && (j == i || samePath(to[i], to[j]))) {
                    run[n++] = j;
                    sent[j] = true;
                }
            }
            sendPeer(to[i], address, n);
        }
        for (int i = 0; i < held; i++) {
            to[i] = null;
            sent[i] = false;
        }
        held = 0;
        used = 0;
    }

    /** Same peer, same socket, same local address: one train may carry both. */
    private static boolean samePath(LinkEndpoint a, LinkEndpoint b) {
        if (a == b) {
            return true;
        }
        return a.address().equals(b.address()) && a instanceof LinkEndpoint.Udp ua && b instanceof LinkEndpoint.Udp ub
                && ua.socket() == ub.socket() && java.util.Objects.equals(ua.local(), ub.local());
    }

    /** Sends the {@code n} datagrams listed in {@link #run} to one peer as trains of equal-size datagrams. */
    private void sendPeer(LinkEndpoint endpoint, InetSocketAddress address, int n) {
        LinkEndpoint.Udp via = (LinkEndpoint.Udp) endpoint;
        UdpSocket udp = udps == null ? this.udp : udps[via.socket()];
        UdpLocal from = via.local();
        // Without GSO (offloads off, or refused by the path) every datagram goes alone, as Offloads promises, and each
        // refused one is counted as one lost datagram.
        boolean trains = udp.gso();
        int k = 0;
        while (k < n) {
            int size = length[run[k]];
            int end = k + 1;
            int bytes = size;
            boolean contiguous = true;
            // Extend while the next has the same size; a shorter one ends the train as its last datagram.
            while (trains && end < n && size > 0 && bytes + length[run[end]] <= train.length) {
                int next = length[run[end]];
                if (next > size || next == 0) {
                    break;
                }
                contiguous &= run[end] == run[end - 1] + 1;
                bytes += next;
                end++;
                if (next < size) {
                    break;
                }
            }
            try {
                if (end - k == 1) {
                    udp.send(arena, at[run[k]], size, address, from);
                } else if (contiguous) {
                    udp.sendTrain(arena, at[run[k]], bytes, size, address, from);
                } else {
                    int filled = 0;
                    for (int m = k; m < end; m++) {
                        System.arraycopy(arena, at[run[m]], train, filled, length[run[m]]);
                        filled += length[run[m]];
                    }
                    udp.sendTrain(train, 0, filled, size, address, from);
                }
            } catch (IOException e) {
                failed(endpoint, SendRefusedException.classify(e));
            }
            k = end;
        }
    }

    private void failed(LinkEndpoint endpoint, IOException e) {
        failures.accept(endpoint, e);
    }
}
