package io.culvert.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Linux UDP socket through FFM: single datagrams leave straight from the caller's array ({@code sendto}, no copy);
 * a train is copied once into a native buffer and leaves in one {@code sendmsg} with a {@code UDP_SEGMENT} control
 * message, or in {@code sendmmsg} batches where GSO is off or refused. A receive is one {@code recvmsg} that returns
 * a GRO train with its segment size. GSO falls back per call: {@code EIO} (the egress device cannot checksum) turns
 * it off for good, {@code EINVAL}/{@code EMSGSIZE} (segment larger than the path allows) for that segment size and
 * larger; the refused train is resent with {@code sendmmsg} in the same call.
 *
 * <p>A GSO train is one packet until the egress device segments it, and a veth, a bridge, a queue or a firewall on the
 * way may drop that packet whole; so the last datagram of a train leaves as a packet of its own (one more call). A
 * train lost whole then still delivers its last datagram, and the peer's TCP inside the tunnel sees the gap and asks
 * for the rest at once (SACK, fast retransmit) instead of waiting for a retransmission timeout (at least 200 ms): at
 * 15 % random loss on a veth, TCP through a Culvert↔Culvert tunnel moved 0.07–0.15× of openvpn↔openvpn before, when
 * a train often carried all the data in flight.
 * Thread-safe: one sending and one receiving thread at a time; {@link #close} from any thread wakes both.
 */
public final class LinuxUdpSocket implements UdpSocket {
    /** Most datagrams per GSO send or {@code sendmmsg} batch (the kernel's UDP_MAX_SEGMENTS is at least 64). */
    static final int MAX_SEGMENTS = 64;
    private static final int BUFFER = 65536;
    private static final int CONTROL = 128;

    private final int fd;
    private final int family;
    private final boolean connected;
    private final InetSocketAddress connectedPeer;
    private final InetSocketAddress local;
    private final boolean gro;
    private volatile boolean gso;
    /**
     * Set once a firewall refused a send (EPERM/EACCES): from then on every datagram leaves in its own call, as from
     * stock openvpn, because a refusal inside a {@code sendmmsg} batch is not reported (the kernel loses the error) and
     * a GSO train is refused whole.
     */
    private volatile boolean oneByOne;
    /** Whether each receive reports its local address ({@link #receivePacketInfo}). */
    private volatile boolean pktinfo;
    /** Largest segment size GSO has not refused with EINVAL. */
    private volatile int gsoMaxSegment = BUFFER;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Waker waker;
    /**
     * Native state lives in an automatic arena: a downcall that passes one of its segments costs no atomic
     * acquire/release of a shared session (profiled on the server: the reader and the server thread bounced one shared
     * session's counter on every read and write). The memory goes when this object is unreachable; closing only closes
     * the descriptor.
     */
    private final Arena arena = Arena.ofAuto();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();

    // Sending thread's state.
    private final Waker.Wait sendWait;
    private final MemorySegment staging;
    private final MemorySegment sendMsg;
    private final MemorySegment sendIov;
    private final MemorySegment mmsg;
    private final MemorySegment sendControl;
    private final MemorySegment peerAddr;
    private InetSocketAddress lastPeer;
    private int lastPeerLength;

    // Receiving thread's state.
    private final Waker.Wait receiveWait;
    private final MemorySegment receiveBuf;
    private final MemorySegment receiveMsg;
    private final MemorySegment receiveIov;
    private final MemorySegment receiveName;
    private final MemorySegment receiveControl;
    private final byte[] receiveLocal = new byte[20];

    private LinuxUdpSocket(int fd, int family, InetSocketAddress connectedPeer, InetSocketAddress local, boolean gso,
            boolean gro, Waker waker) {
        this.fd = fd;
        this.family = family;
        this.connected = connectedPeer != null;
        this.connectedPeer = connectedPeer;
        this.local = local;
        this.gso = gso;
        this.gro = gro;
        this.waker = waker;
        this.sendWait = waker.newWait(arena);
        this.staging = arena.allocate(BUFFER, 64);
        this.sendMsg = arena.allocate(MsgHdr.SIZE, 8);
        this.sendIov = arena.allocate((long) MsgHdr.IOVEC_SIZE * MAX_SEGMENTS, 8);
        this.mmsg = arena.allocate((long) MsgHdr.MMSGHDR_SIZE * MAX_SEGMENTS, 8);
        this.sendControl = arena.allocate(Math.max(MsgHdr.CMSG_SPACE_SMALL, MsgHdr.CMSG_SPACE_PKTINFO6), 8);
        this.peerAddr = arena.allocate(SockAddr.STORAGE_SIZE, 8);
        this.receiveWait = waker.newWait(arena);
        this.receiveBuf = arena.allocate(BUFFER, 64);
        this.receiveMsg = arena.allocate(MsgHdr.SIZE, 8);
        this.receiveIov = arena.allocate(MsgHdr.IOVEC_SIZE, 8);
        this.receiveName = arena.allocate(SockAddr.STORAGE_SIZE, 8);
        this.receiveControl = arena.allocate(CONTROL, 8);
        MsgHdr.iovec(receiveIov, receiveBuf, BUFFER);
    }

    /**
     * Opens a socket.
     *
     * @param bind local address to bind, or null for an ephemeral port
     * @param connect the peer to connect to (client), or null for an unconnected socket (server)
     * @param sendBuffer {@code SO_SNDBUF} in bytes, 0 to keep the default; {@code receiveBuffer} the same
     * @param gso send trains with {@code UDP_SEGMENT} when the kernel has it
     * @param gro ask the kernel for {@code UDP_GRO} trains; then {@link #receive} may return several datagrams
     */
    public static LinuxUdpSocket open(InetSocketAddress bind, InetSocketAddress connect, int sendBuffer, int receiveBuffer,
            boolean gso, boolean gro) throws IOException {
        return open(bind, connect, sendBuffer, receiveBuffer, gso, gro, null, msg -> { });
    }

    /**
     * Like {@link #open(InetSocketAddress, InetSocketAddress, int, int, boolean, boolean)}, bound to the device (or
     * VRF) {@code bindDev} first ({@code SO_BINDTODEVICE}, OpenVPN's {@code bind-dev}), unless it is null. As in
     * OpenVPN, a failure to bind to the device is only a warning, given to {@code warn}.
     */
    public static LinuxUdpSocket open(InetSocketAddress bind, InetSocketAddress connect, int sendBuffer, int receiveBuffer,
            boolean gso, boolean gro, String bindDev, java.util.function.Consumer<String> warn) throws IOException {
        int family = connect != null ? SockAddr.familyOf(connect) : SockAddr.familyOf(bind);
        if (bind != null && family == Libc.AF_INET && !SockAddr.isV4(bind)) {
            family = Libc.AF_INET6;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Libc.newErrno(a);
            int fd = Libc.socket(e, family, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("cannot open a UDP socket: " + Libc.describe(Libc.errno(e)));
            }
            try {
                if (family == Libc.AF_INET6) {
                    setInt(a, e, fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 0);
                }
                if (bindDev != null) {
                    bindToDevice(a, e, fd, bindDev, warn);
                }
                if (sendBuffer > 0) {
                    setInt(a, e, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, sendBuffer);
                }
                if (receiveBuffer > 0) {
                    setInt(a, e, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, receiveBuffer);
                }
                MemorySegment addr = a.allocate(SockAddr.STORAGE_SIZE, 8);
                if (bind != null) {
                    setInt(a, e, fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
                    int len = SockAddr.write(bind, family, addr);
                    if (Libc.bind(e, fd, addr, len) < 0) {
                        throw new IOException("cannot bind " + bind + ": " + Libc.describe(Libc.errno(e)));
                    }
                }
                if (connect != null) {
                    int len = SockAddr.write(connect, family, addr);
                    if (Libc.connect(e, fd, addr, len) < 0) {
                        throw new IOException("cannot connect to " + connect + ": " + Libc.describe(Libc.errno(e)));
                    }
                }
                MemorySegment addrLen = a.allocateFrom(ValueLayout.JAVA_INT, SockAddr.STORAGE_SIZE);
                if (Libc.getsockname(e, fd, addr, addrLen) < 0) {
                    throw new IOException("getsockname failed: " + Libc.describe(Libc.errno(e)));
                }
                InetSocketAddress local = SockAddr.read(addr);
                boolean hasGso = gso && getInt(a, e, fd, Libc.SOL_UDP, Libc.UDP_SEGMENT) >= 0;
                boolean hasGro = gro && trySetInt(a, e, fd, Libc.SOL_UDP, Libc.UDP_GRO, 1);
                return new LinuxUdpSocket(fd, family, connect, local, hasGso, hasGro, Waker.open());
            } catch (IOException | RuntimeException ex) {
                Libc.close(e, fd);
                throw ex;
            }
        }
    }

    /** {@code setsockopt(SO_BINDTODEVICE, dev)} as socket.c does it (the name with its NUL); a failure goes to {@code warn}. */
    private static void bindToDevice(Arena a, MemorySegment e, int fd, String dev, java.util.function.Consumer<String> warn) {
        MemorySegment name = a.allocateFrom(dev); // NUL-terminated UTF-8
        if (Libc.setsockopt(e, fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, name, (int) name.byteSize()) != 0) {
            warn.accept("WARN: setsockopt SO_BINDTODEVICE=" + dev + " failed: " + Libc.describe(Libc.errno(e)));
        }
    }

    private static void setInt(Arena a, MemorySegment e, int fd, int level, int name, int value) throws IOException {
        if (!trySetInt(a, e, fd, level, name, value)) {
            throw new IOException("setsockopt(" + level + ", " + name + ") failed: " + Libc.describe(Libc.errno(e)));
        }
    }

    private static boolean trySetInt(Arena a, MemorySegment e, int fd, int level, int name, int value) {
        return Libc.setsockopt(e, fd, level, name, a.allocateFrom(ValueLayout.JAVA_INT, value), 4) == 0;
    }

    /** The option's value, or -1 when the kernel does not know it. */
    private static int getInt(Arena a, MemorySegment e, int fd, int level, int name) {
        MemorySegment value = a.allocate(ValueLayout.JAVA_INT);
        MemorySegment length = a.allocateFrom(ValueLayout.JAVA_INT, 4);
        return Libc.getsockopt(e, fd, level, name, value, length) == 0 ? value.get(ValueLayout.JAVA_INT, 0) : -1;
    }

    /** Sets an int socket option; for tests that make the kernel refuse GSO ({@code SO_NO_CHECK}). */
    void setIntOption(int level, int name, int value) throws IOException {
        sendLock.lock();
        try (Arena a = Arena.ofConfined()) {
            ensureOpen();
            setInt(a, sendWait.errno, fd, level, name, value);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Asks the kernel for each datagram's local address ({@code IP_PKTINFO}, and {@code IPV6_RECVPKTINFO} on an IPv6
     * socket, whose mapped IPv4 datagrams then carry both): {@link Received#local()} is filled from then on, and a
     * server bound to a wildcard can answer from the address each peer dialled ({@code multihome}).
     */
    public void receivePacketInfo() throws IOException {
        sendLock.lock();
        try (Arena a = Arena.ofConfined()) {
            ensureOpen();
            boolean v4 = trySetInt(a, sendWait.errno, fd, Libc.IPPROTO_IP, Libc.IP_PKTINFO, 1);
            if (family == Libc.AF_INET6) {
                setInt(a, sendWait.errno, fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVPKTINFO, 1);
            } else if (!v4) {
                throw new IOException("setsockopt(IP_PKTINFO) failed: " + Libc.describe(Libc.errno(sendWait.errno)));
            }
            pktinfo = true;
        } finally {
            sendLock.unlock();
        }
    }

    /** The largest segment size GSO has not refused. */
    int gsoMaxSegment() {
        return gsoMaxSegment;
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

    @Override
    public void send(byte[] buf, int off, int len, InetSocketAddress peer) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        sendLock.lock();
        try {
            ensureOpen(); // close() frees the native buffers while holding the lock
            int peerLen = peer(peer);
            MemorySegment source = MemorySegment.ofArray(buf).asSlice(off, len);
            MemorySegment to = peerLen == 0 ? MemorySegment.NULL : peerAddr;
            while (true) {
                ensureOpen();
                long n = Libc.sendto(sendWait.errno, fd, source, len, Libc.MSG_DONTWAIT, to, peerLen);
                if (n >= 0 || !retry(Libc.errno(sendWait.errno))) {
                    if (n < 0) {
                        throw sendError(Libc.errno(sendWait.errno), peer);
                    }
                    return;
                }
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * One {@code sendmsg} with a packet-info control message per datagram: the kernel then picks {@code from} as the
     * source address (and its interface when given). Trains leave datagram by datagram, as from stock OpenVPN with
     * {@code multihome}.
     */
    @Override
    public void send(byte[] buf, int off, int len, InetSocketAddress peer, UdpLocal from) throws IOException {
        if (from == null) {
            send(buf, off, len, peer);
            return;
        }
        sendTrain(buf, off, len, Math.max(len, 1), peer, from);
    }

    @Override
    public void sendTrain(byte[] buf, int off, int len, int segmentSize, InetSocketAddress peer, UdpLocal from)
            throws IOException {
        if (from == null) {
            sendTrain(buf, off, len, segmentSize, peer);
            return;
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        if (segmentSize <= 0) {
            throw new IllegalArgumentException("segment size " + segmentSize);
        }
        sendLock.lock();
        try {
            ensureOpen();
            int peerLen = peer(peer);
            MemorySegment name = peerLen == 0 ? MemorySegment.NULL : peerAddr;
            int controlLen = MsgHdr.writePktInfo(sendControl, from.address(), from.ifindex());
            IOException refused = null;
            int refusedCount = 0;
            int at = 0;
            do {
                int n = Math.min(segmentSize, len - at);
                MemorySegment.copy(buf, off + at, staging, ValueLayout.JAVA_BYTE, 0, n);
                MsgHdr.iovec(sendIov, staging, n);
                MsgHdr.write(sendMsg, name, peerLen, sendIov, 1, sendControl, controlLen);
                while (true) {
                    ensureOpen();
                    if (Libc.sendmsg(sendWait.errno, fd, sendMsg, Libc.MSG_DONTWAIT) >= 0) {
                        break;
                    }
                    int errno = Libc.errno(sendWait.errno);
                    if (!retry(errno)) {
                        refused = refused == null ? sendError(errno, peer) : refused;
                        refusedCount++;
                        break;
                    }
                }
                at += n;
            } while (at < len);
            if (refused != null) {
                throw refusedCount > 1 ? new RefusedDatagramsException(refused, refusedCount) : refused;
            }
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public void sendTrain(byte[] buf, int off, int len, int segmentSize, InetSocketAddress peer) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (segmentSize <= 0) {
            throw new IllegalArgumentException("segment size " + segmentSize);
        }
        if (len <= segmentSize) {
            send(buf, off, len, peer);
            return;
        }
        sendLock.lock();
        try {
            ensureOpen(); // close() frees the native buffers while holding the lock
            int peerLen = peer(peer);
            IOException refused = null;
            int refusedCount = 0;
            int chunk = segmentSize * Math.min(MAX_SEGMENTS, BUFFER / segmentSize);
            // With GSO, the body (every datagram but the last) leaves in trains and the last on its own (see the class
            // comment). A train of two has no body: one sendmmsg sends it as two packets, as every train without GSO.
            int count = (len + segmentSize - 1) / segmentSize;
            int body = count > 2 && gso && segmentSize <= gsoMaxSegment ? (count - 1) * segmentSize : 0;
            for (int at = 0; at < len; ) {
                boolean inBody = at < body;
                int n = Math.min(chunk, (inBody ? body : len) - at);
                MemorySegment.copy(buf, off + at, staging, ValueLayout.JAVA_BYTE, 0, n);
                IOException e = inBody && gso && segmentSize <= gsoMaxSegment && n > segmentSize
                        ? sendGso(n, segmentSize, peerLen, peer)
                        : sendEach(n, segmentSize, peerLen, peer);
                if (e != null) {
                    refused = refused == null ? e : refused;
                    refusedCount += e instanceof RefusedDatagramsException r ? r.datagrams() : 1;
                }
                at += n;
            }
            if (refused != null) {
                throw refused instanceof RefusedDatagramsException r && r.datagrams() != refusedCount
                        ? new RefusedDatagramsException((IOException) r.getCause(), refusedCount) : refused;
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * One sendmsg with UDP_SEGMENT for {@code n} staged bytes; when GSO is refused, or a firewall refuses the train
     * (EPERM/EACCES), the same datagrams one by one.
     */
    private IOException sendGso(int n, int segmentSize, int peerLen, InetSocketAddress peer) throws IOException {
        MsgHdr.iovec(sendIov, staging, n);
        int controlLen = MsgHdr.writeUdpSegment(sendControl, segmentSize);
        MsgHdr.write(sendMsg, peerLen == 0 ? MemorySegment.NULL : peerAddr, peerLen, sendIov, 1, sendControl, controlLen);
        while (true) {
            ensureOpen();
            if (Libc.sendmsg(sendWait.errno, fd, sendMsg, Libc.MSG_DONTWAIT) >= 0) {
                return null;
            }
            int errno = Libc.errno(sendWait.errno);
            if (retry(errno)) {
                continue;
            }
            if (errno == Libc.EIO) {
                gso = false;
            } else if (errno == Libc.EINVAL || errno == Libc.EMSGSIZE) {
                gsoMaxSegment = Math.min(gsoMaxSegment, segmentSize - 1);
            } else if (errno != Libc.EPERM && errno != Libc.EACCES) {
                return sendError(errno, peer);
            }
            if (errno == Libc.EPERM || errno == Libc.EACCES) {
                // A firewall judges a GSO train as one packet: resend the datagrams one by one so that it judges each,
                // as it does for a sender without GSO (stock openvpn), and only those it refuses are lost; and keep
                // sending datagram by datagram on this path, where a train is all or nothing.
                gso = false;
                oneByOne = true;
            }
            return sendEach(n, segmentSize, peerLen, peer);
        }
    }

    /**
     * {@code sendmmsg} of the {@code n} staged bytes as datagrams of {@code segmentSize} (one {@code sendto} each once a
     * firewall has refused one); returns null, or the first refusal with the number of datagrams refused.
     */
    private IOException sendEach(int n, int segmentSize, int peerLen, InetSocketAddress peer) throws IOException {
        int count = (n + segmentSize - 1) / segmentSize;
        MemorySegment name = peerLen == 0 ? MemorySegment.NULL : peerAddr;
        if (oneByOne) {
            return sendOneByOne(n, segmentSize, peerLen, peer);
        }
        for (int i = 0; i < count; i++) {
            MemorySegment iov = sendIov.asSlice((long) i * MsgHdr.IOVEC_SIZE, MsgHdr.IOVEC_SIZE);
            int start = i * segmentSize;
            MsgHdr.iovec(iov, staging.asSlice(start), Math.min(segmentSize, n - start));
            MsgHdr.write(mmsg.asSlice((long) i * MsgHdr.MMSGHDR_SIZE, MsgHdr.MMSGHDR_SIZE), name, peerLen, iov, 1,
                    MemorySegment.NULL, 0);
        }
        IOException refused = null;
        int refusedCount = 0;
        int sent = 0;
        while (sent < count) {
            ensureOpen();
            MemorySegment from = mmsg.asSlice((long) sent * MsgHdr.MMSGHDR_SIZE);
            int r = Libc.sendmmsg(sendWait.errno, fd, from, count - sent, Libc.MSG_DONTWAIT);
            if (r > 0) {
                sent += r;
                continue;
            }
            int errno = Libc.errno(sendWait.errno);
            if (!retry(errno)) {
                // This datagram is lost as on a lossy link; the rest of the train still goes.
                refused = refused == null ? sendError(errno, peer) : refused;
                refusedCount++;
                sent++;
                if (errno == Libc.EPERM || errno == Libc.EACCES) {
                    oneByOne = true;
                }
            }
        }
        return refused == null ? null : new RefusedDatagramsException(refused, refusedCount);
    }

    /** One {@code sendto} per staged datagram, so that each refusal is seen and counted. */
    private IOException sendOneByOne(int n, int segmentSize, int peerLen, InetSocketAddress peer) throws IOException {
        MemorySegment to = peerLen == 0 ? MemorySegment.NULL : peerAddr;
        IOException refused = null;
        int refusedCount = 0;
        for (int start = 0; start < n; start += segmentSize) {
            int len = Math.min(segmentSize, n - start);
            while (true) {
                ensureOpen();
                if (Libc.sendto(sendWait.errno, fd, staging.asSlice(start, len), len, Libc.MSG_DONTWAIT, to, peerLen) >= 0) {
                    break;
                }
                int errno = Libc.errno(sendWait.errno);
                if (!retry(errno)) {
                    refused = refused == null ? sendError(errno, peer) : refused;
                    refusedCount++;
                    break;
                }
            }
        }
        return refused == null ? null : new RefusedDatagramsException(refused, refusedCount);
    }

    /** Waits for room on EAGAIN and says whether to try again; throws once closed. */
    private boolean retry(int errno) throws IOException {
        if (errno == Libc.EINTR) {
            return true;
        }
        if (errno == Libc.EAGAIN) {
            if (!waker.await(sendWait, fd, Libc.POLLOUT)) {
                throw new ClosedChannelException();
            }
            return true;
        }
        return false;
    }

    private IOException sendError(int errno, InetSocketAddress peer) {
        String to = peer != null ? peer.toString() : String.valueOf(connectedPeer);
        if (errno == Libc.ECONNREFUSED) {
            return new PortUnreachableException("port unreachable at " + to);
        }
        return new IOException("send to " + to + " failed: " + Libc.describe(errno));
    }

    /** Encodes {@code peer} into {@link #peerAddr} unless it is the last one; returns its length, 0 for none. */
    private int peer(InetSocketAddress peer) {
        if (peer == null) {
            if (!connected) {
                throw new IllegalArgumentException("an unconnected socket needs a peer");
            }
            return 0;
        }
        if (peer != lastPeer) {
            lastPeerLength = SockAddr.write(peer, family, peerAddr);
            lastPeer = peer;
        }
        return lastPeerLength;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public int receive(byte[] buf, int off, int len, Received from) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        receiveLock.lock();
        try {
            while (!closed.get()) {
                MsgHdr.write(receiveMsg, receiveName, SockAddr.STORAGE_SIZE, receiveIov, 1, receiveControl, CONTROL);
                long n = Libc.recvmsg(receiveWait.errno, fd, receiveMsg, Libc.MSG_DONTWAIT);
                if (n >= 0) {
                    if (n > len) {
                        throw new IOException(n + "-byte datagram train does not fit into " + len + " bytes");
                    }
                    int segment = gro ? MsgHdr.findUdpGro(receiveControl, MsgHdr.controlLen(receiveMsg)) : 0;
                    MemorySegment.copy(receiveBuf, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
                    from.segmentSize(segment > 0 ? segment : (int) n);
                    fillSender(from);
                    if (pktinfo) {
                        fillLocal(from);
                    }
                    return (int) n;
                }
                int errno = Libc.errno(receiveWait.errno);
                if (errno == Libc.EAGAIN) {
                    waker.await(receiveWait, fd, Libc.POLLIN);
                } else if (errno != Libc.EINTR && errno != Libc.ECONNREFUSED && errno != Libc.EHOSTUNREACH
                        && errno != Libc.ENETUNREACH) {
                    // ICMP errors for earlier datagrams (port, host or network unreachable) are reported once on a
                    // connected socket; like OpenVPN, keep reading: only keepalive ends the session.
                    throw new IOException("receive failed: " + Libc.describe(errno));
                }
            }
            return -1;
        } finally {
            receiveLock.unlock();
        }
    }

    private void fillLocal(Received from) {
        int n = MsgHdr.findPktInfo(receiveControl, MsgHdr.controlLen(receiveMsg), receiveLocal);
        if (n == 0) {
            from.local(null);
            return;
        }
        if (n == 4) {
            java.util.Arrays.fill(receiveLocal, 4, 16, (byte) 0);
        }
        if (from.local() != null && java.util.Arrays.equals(receiveLocal, from.rawLocal)) {
            return;
        }
        System.arraycopy(receiveLocal, 0, from.rawLocal, 0, receiveLocal.length);
        try {
            int ifindex = MemorySegment.ofArray(receiveLocal).get(ValueLayout.JAVA_INT_UNALIGNED, 16);
            from.local(new UdpLocal(java.net.InetAddress.getByAddress(java.util.Arrays.copyOf(receiveLocal, n)), ifindex));
        } catch (java.net.UnknownHostException e) {
            from.local(null); // a 4- or 16-byte address is always valid
        }
    }

    private void fillSender(Received from) {
        if (connected) {
            from.sender(connectedPeer);
            return;
        }
        int nameLen = Math.min(MsgHdr.nameLen(receiveMsg), SockAddr.STORAGE_SIZE);
        MemorySegment known = MemorySegment.ofArray(from.rawSender);
        if (from.sender() != null && from.rawSenderLength == nameLen
                && MemorySegment.mismatch(receiveName, 0, nameLen, known, 0, nameLen) == -1) {
            return;
        }
        MemorySegment.copy(receiveName, ValueLayout.JAVA_BYTE, 0, from.rawSender, 0, nameLen);
        from.rawSenderLength = nameLen;
        from.sender(SockAddr.read(receiveName));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        waker.wake();
        sendLock.lock();
        receiveLock.lock();
        try {
            Libc.close(receiveWait.errno, fd);
            waker.close();
        } finally {
            receiveLock.unlock();
            sendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "udp " + local + (connected ? " -> " + connectedPeer : "") + (gso ? " gso" : "") + (gro ? " gro" : "");
    }
}
