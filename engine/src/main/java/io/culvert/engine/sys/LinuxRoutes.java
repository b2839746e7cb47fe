package io.culvert.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Routes} over rtnetlink: one socket joined to the link, address and route multicast groups (IPv4 and IPv6)
 * wakes {@link #awaitChange}; each {@link #lookup} sends {@code RTM_GETROUTE} for the one address on a socket of its
 * own and reads the kernel's answer ({@code ip route get}). Both sockets are non-blocking: the kernel answers a
 * route request while it is being sent, and the waiter sleeps in {@code poll} with a {@link Waker} for {@link #close}.
 */
public final class LinuxRoutes implements Routes {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 0x1;
    private static final int RTMGRP_IPV4_IFADDR = 0x10;
    private static final int RTMGRP_IPV4_ROUTE = 0x40;
    private static final int RTMGRP_IPV6_IFADDR = 0x100;
    private static final int RTMGRP_IPV6_ROUTE = 0x400;
    private static final short NLMSG_ERROR = 2;
    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_GETROUTE = 26;
    private static final short NLM_F_REQUEST = 1;
    private static final short RTA_DST = 1;
    private static final short RTA_OIF = 4;
    private static final short RTA_GATEWAY = 5;
    private static final short RTA_PREFSRC = 7;
    private static final int NLMSG_HDRLEN = 16;
    private static final int RTMSG_LEN = 12;
    /** A burst (a device coming up brings its addresses and routes) is read as one change after this quiet time. */
    private static final long SETTLE_MILLIS = 150;

    private final int fd;
    private final Waker waker;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment waitErrno;
    private final Waker.Wait wait;
    private final byte[] events = new byte[32 * 1024];
    private final AtomicInteger seq = new AtomicInteger();
    private final Object closeLock = new Object();
    private boolean closed;
    private boolean waiting;

    private LinuxRoutes(int fd, Waker waker) {
        this.fd = fd;
        this.waker = waker;
        this.wait = waker.newWait(arena);
        this.waitErrno = wait.errno();
    }

    /** Opens the event socket; fails where rtnetlink cannot be opened. */
    public static LinuxRoutes open() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Libc.newErrno(a);
            int fd = socket(e);
            MemorySegment addr = a.allocate(12, 4);
            addr.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            addr.set(java.lang.foreign.ValueLayout.JAVA_INT, 8,
                    RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE);
            if (Libc.bind(e, fd, addr, 12) < 0) {
                int errno = Libc.errno(e);
                Libc.close(e, fd);
                throw new IOException("cannot join the rtnetlink groups: " + Libc.describe(errno));
            }
            try {
                return new LinuxRoutes(fd, Waker.open());
            } catch (IOException ex) {
                Libc.close(e, fd);
                throw ex;
            }
        }
    }

    private static int socket(MemorySegment e) throws IOException {
        int fd = Libc.socket(e, AF_NETLINK, SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw new IOException("cannot open an rtnetlink socket: " + Libc.describe(Libc.errno(e)));
        }
        return fd;
    }

    @Override
    public boolean awaitChange() throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return false;
            }
            waiting = true;
        }
        try {
            if (!waker.await(wait, fd, Libc.POLLIN)) {
                return false;
            }
            drain();
            try {
                Thread.sleep(SETTLE_MILLIS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
            drain();
            return true;
        } finally {
            synchronized (closeLock) {
                waiting = false;
                closeLock.notifyAll();
            }
        }
    }

    /** Reads every queued notification; their content does not matter, only that something changed. */
    private void drain() throws IOException {
        MemorySegment buf = MemorySegment.ofArray(events);
        while (true) {
            long n = Libc.read(waitErrno, fd, buf, events.length);
            if (n >= 0) {
                continue;
            }
            int errno = Libc.errno(waitErrno);
            if (errno == Libc.EAGAIN) {
                return;
            }
            if (errno != Libc.EINTR && errno != ENOBUFS) {
                throw new IOException("rtnetlink read failed: " + Libc.describe(errno));
            }
            // ENOBUFS: notifications were lost; a change it is anyway
        }
    }

    private static final int ENOBUFS = 105;

    @Override
    public Route lookup(InetAddress destination) throws IOException {
        byte[] addr = destination.getAddress();
        int attrLen = 4 + addr.length;
        int len = NLMSG_HDRLEN + RTMSG_LEN + attrLen;
        int id = seq.incrementAndGet();
        ByteBuffer req = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        req.putInt(len).putShort(RTM_GETROUTE).putShort(NLM_F_REQUEST).putInt(id).putInt(0);
        req.put((byte) (destination instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET)).put((byte) (addr.length * 8))
                .put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        req.putShort((short) attrLen).putShort(RTA_DST).put(addr);
        byte[] reply = new byte[8192];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Libc.newErrno(a);
            int s = socket(e);
            try {
                if (Libc.write(e, s, MemorySegment.ofArray(req.array()), len) != len) {
                    throw new IOException("RTM_GETROUTE failed: " + Libc.describe(Libc.errno(e)));
                }
                long n = -1;
                for (int tries = 0; tries < 200 && n < 0; tries++) {
                    n = Libc.read(e, s, MemorySegment.ofArray(reply), reply.length);
                    if (n < 0) {
                        int errno = Libc.errno(e);
                        if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                            throw new IOException("RTM_GETROUTE answer: " + Libc.describe(errno));
                        }
                        Thread.sleep(1);
                    }
                }
                if (n < 0) {
                    throw new IOException("no answer to RTM_GETROUTE");
                }
                return parse(ByteBuffer.wrap(reply, 0, (int) n).order(ByteOrder.nativeOrder()), id);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while asking for the route to " + destination.getHostAddress());
            } finally {
                Libc.close(e, s);
            }
        }
    }

    /** The route in the kernel's answer to request {@code id}; null for an error answer (no route). */
    static Route parse(ByteBuffer b, int id) throws IOException {
        while (b.remaining() >= NLMSG_HDRLEN) {
            int start = b.position();
            int len = b.getInt(start);
            short type = b.getShort(start + 4);
            int seq = b.getInt(start + 8);
            if (len < NLMSG_HDRLEN || len > b.limit() - start) {
                throw new IOException("malformed rtnetlink answer");
            }
            if (seq == id && type == NLMSG_ERROR) {
                return null; // ENETUNREACH and friends: no route
            }
            if (seq == id && type == RTM_NEWROUTE) {
                return attributes(b, start + NLMSG_HDRLEN + RTMSG_LEN, start + len);
            }
            b.position(start + align(len));
        }
        throw new IOException("no route in the rtnetlink answer");
    }

    private static Route attributes(ByteBuffer b, int from, int end) throws IOException {
        String device = null;
        InetAddress gateway = null;
        InetAddress source = null;
        for (int p = from; p + 4 <= end; ) {
            int rtaLen = b.getShort(p) & 0xffff;
            int rtaType = b.getShort(p + 2) & 0x7fff;
            if (rtaLen < 4 || p + rtaLen > end) {
                break;
            }
            byte[] value = new byte[rtaLen - 4];
            b.get(p + 4, value);
            switch (rtaType) {
                case RTA_OIF -> device = deviceName(b.getInt(p + 4));
                case RTA_GATEWAY -> gateway = address(value);
                case RTA_PREFSRC -> source = address(value);
                default -> { }
            }
            p += align(rtaLen);
        }
        return device == null ? null : new Route(device, gateway, source);
    }

    private static InetAddress address(byte[] raw) throws IOException {
        try {
            return raw.length == 4 || raw.length == 16 ? InetAddress.getByAddress(raw) : null;
        } catch (UnknownHostException e) {
            throw new IOException(e);
        }
    }

    private static String deviceName(int index) {
        try {
            NetworkInterface nif = NetworkInterface.getByIndex(index);
            return nif != null ? nif.getName() : "if" + index;
        } catch (SocketException e) {
            return "if" + index;
        }
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            waker.wake();
            while (waiting) {
                try {
                    closeLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try (Arena a = Arena.ofConfined()) {
            Libc.close(Libc.newErrno(a), fd);
        }
        waker.close();
        arena.close();
    }
}
