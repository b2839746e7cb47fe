package io.culvert.engine.sys;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link UdpSocket} on an in-memory {@link Network}, for tests of the batching paths without sockets. It behaves
 * like the kernel where it matters: a train leaves as separate datagrams (counted as one GSO call, or one call per
 * datagram when GSO is off or {@linkplain #refuseGso refused}), a GRO receiver gets back-to-back datagrams of one
 * sender and one size as one train (the last may be shorter), a full receive queue drops. Thread-safe.
 */
public final class InMemoryUdpSocket implements UdpSocket {
    /** Datagrams a socket's receive queue holds before it drops. */
    public static final int QUEUE = 4096;
    private static final Datagram CLOSED = new Datagram(new byte[0], null);

    private record Datagram(byte[] data, InetSocketAddress from) {}

    /** Sockets by bound address; a datagram to an address with no socket vanishes. Thread-safe. */
    public static final class Network {
        private final ConcurrentHashMap<InetSocketAddress, InMemoryUdpSocket> bound = new ConcurrentHashMap<>();

        /** Opens a socket bound to {@code local}, connected to {@code peer} unless it is null. */
        public InMemoryUdpSocket open(InetSocketAddress local, InetSocketAddress peer, boolean gso, boolean gro) {
            InMemoryUdpSocket s = new InMemoryUdpSocket(this, local, peer, gso, gro);
            if (bound.putIfAbsent(local, s) != null) {
                throw new IllegalStateException(local + " is in use");
            }
            return s;
        }
    }

    private final Network network;
    private final InetSocketAddress local;
    private final InetSocketAddress peer;
    private final boolean gro;
    private volatile boolean gso;
    private volatile boolean refuseGso;
    private final LinkedBlockingDeque<Datagram> queue = new LinkedBlockingDeque<>(QUEUE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong sendCalls = new AtomicLong();
    private final AtomicLong datagramsSent = new AtomicLong();
    private final AtomicLong receiveCalls = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private InMemoryUdpSocket(Network network, InetSocketAddress local, InetSocketAddress peer, boolean gso, boolean gro) {
        this.network = network;
        this.local = local;
        this.peer = peer;
        this.gso = gso;
        this.gro = gro;
    }

    /** Makes the next GSO send fail as a path without checksum offload does (EIO): the socket falls back for good. */
    public void refuseGso() {
        refuseGso = true;
    }

    /** Send calls made, as the kernel would count them: one per GSO train, one per datagram otherwise. */
    public long sendCalls() {
        return sendCalls.get();
    }

    public long datagramsSent() {
        return datagramsSent.get();
    }

    /** Receive calls that returned data. */
    public long receiveCalls() {
        return receiveCalls.get();
    }

    /** Datagrams dropped because this socket's queue was full. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void send(byte[] buf, int off, int len, InetSocketAddress to) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        ensureOpen();
        sendCalls.incrementAndGet();
        deliver(Arrays.copyOfRange(buf, off, off + len), to);
    }

    @Override
    public void sendTrain(byte[] buf, int off, int len, int segmentSize, InetSocketAddress to) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (segmentSize <= 0) {
            throw new IllegalArgumentException("segment size " + segmentSize);
        }
        ensureOpen();
        boolean oneCall = gso && len > segmentSize;
        if (oneCall && refuseGso) {
            gso = false;
            oneCall = false;
        }
        if (oneCall) {
            sendCalls.incrementAndGet();
        }
        IOException refused = null;
        for (int at = 0; at < len; at += segmentSize) {
            if (!oneCall) {
                sendCalls.incrementAndGet();
            }
            try {
                deliver(Arrays.copyOfRange(buf, off + at, off + Math.min(len, at + segmentSize)), to);
            } catch (IOException e) {
                refused = refused == null ? e : refused;
            }
        }
        if (refused != null) {
            throw refused;
        }
    }

    private void deliver(byte[] data, InetSocketAddress to) throws IOException {
        InetSocketAddress target = to != null ? to : peer;
        if (target == null) {
            throw new IllegalArgumentException("an unconnected socket needs a peer");
        }
        datagramsSent.incrementAndGet();
        InMemoryUdpSocket receiver = network.bound.get(target);
        if (receiver == null || receiver.closed.get()) {
            if (to == null) {
                throw new PortUnreachableException("port unreachable at " + target);
            }
            return;
        }
        if (receiver.peer != null && !receiver.peer.equals(local)) {
            return; // a connected socket hears only its peer
        }
        if (!receiver.queue.offerLast(new Datagram(data, local))) {
            receiver.dropped.incrementAndGet();
        }
    }

    @Override
    public int receive(byte[] buf, int off, int len, Received from) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        Datagram first;
        try {
            first = queue.takeFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while receiving");
        }
        if (first == CLOSED) {
            queue.offerFirst(CLOSED);
            return -1;
        }
        int size = first.data.length;
        if (size > len) {
            throw new IOException(size + "-byte datagram does not fit into " + len + " bytes");
        }
        System.arraycopy(first.data, 0, buf, off, size);
        int n = size;
        int segments = 1;
        while (gro && size > 0 && segments < LinuxUdpSocket.MAX_SEGMENTS) {
            Datagram next = queue.peekFirst();
            if (next == null || next == CLOSED || !next.from.equals(first.from) || next.data.length > size
                    || n + next.data.length > len || next.data.length == 0) {
                break;
            }
            queue.pollFirst();
            System.arraycopy(next.data, 0, buf, off + n, next.data.length);
            n += next.data.length;
            segments++;
            if (next.data.length < size) {
                break; // a shorter datagram ends a train
            }
        }
        receiveCalls.incrementAndGet();
        from.set(size, first.from);
        return n;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean gso() {
        return gso;
    }

    @Override
    public boolean gro() {
        return gro;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            network.bound.remove(local, this);
            queue.clear();
            queue.offerFirst(CLOSED);
        }
    }
}
