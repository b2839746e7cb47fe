package io.culvert.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open {@code /dev/net/tun} descriptor in non-blocking mode, optionally with {@code IFF_VNET_HDR} and kernel
 * offloads. Reads and writes go straight between the caller's {@code byte[]} and the kernel; a reader with nothing to
 * read sleeps in {@code poll} on the device and a {@link Waker}, with no timeout, and {@link #close} wakes it.
 * Thread-safe: one reader and one writer may run concurrently; {@link #close} from any thread.
 */
public final class TunFd implements AutoCloseable {
    public static final String CLONE_DEVICE = "/dev/net/tun";
    /** Bytes of {@code struct virtio_net_hdr} before each packet on a device opened with offloads (codec: packet.VirtioNetHdr). */
    public static final int VNET_HEADER_LENGTH = 10;
    /** Largest frame the kernel hands out: a 64 KiB IP packet plus Ethernet, VLAN and virtio headers. */
    public static final int MAX_FRAME = 65535 + 18 + VNET_HEADER_LENGTH;

    // <linux/if_tun.h>, <linux/if.h>, <linux/sockios.h>
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    private static final long SIOCSIFMTU = 0x8922L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;

    private final int fd;
    private final String name;
    private final int offloadFlags;
    private final int vnetHeaderLength;
    /** The largest frame this device can hand out: an IP packet, its Ethernet and VLAN header on TAP, the virtio header. */
    private final int largestFrame;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Waker waker;
    /**
     * Native state lives in an automatic arena: a downcall that passes one of its segments costs no atomic
     * acquire/release of a shared session (profiled on the server: the reader and the server thread bounced one shared
     * session's counter on every read and write). The memory goes when this object is unreachable; closing only closes
     * the descriptor.
     */
    private final Arena arena = Arena.ofAuto();
    // Each side owns its wait state and a bounce buffer for callers whose buffer is smaller than any frame.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Waker.Wait readWait;
    private final Waker.Wait writeWait;
    private final MemorySegment readBounce;

    private TunFd(int fd, String name, boolean tap, int offloadFlags, int vnetHeaderLength, Waker waker) {
        this.fd = fd;
        this.largestFrame = 65535 + (tap ? 18 : 0) + vnetHeaderLength;
        this.name = name;
        this.offloadFlags = offloadFlags;
        this.vnetHeaderLength = vnetHeaderLength;
        this.waker = waker;
        this.readWait = waker.newWait(arena);
        this.writeWait = waker.newWait(arena);
        this.readBounce = arena.allocate(MAX_FRAME);
    }

    /**
     * Creates (or attaches to) a TUN or TAP interface.
     *
     * @param kernelName the name for TUNSETIFF; empty lets the kernel pick
     * @param offload when true, asks for a virtio header and {@code TUN_F_CSUM|TSO4|TSO6|USO4|USO6}, retries without
     *     the USO bits when the kernel refuses them, and opens a plain device when it refuses offload entirely
     */
    public static TunFd open(String kernelName, boolean tap, boolean offload) throws IOException {
        if (offload) {
            TunFd withHeader = openOnce(kernelName, tap, true);
            if (withHeader != null) {
                return withHeader;
            }
        }
        return openOnce(kernelName, tap, false);
    }

    /** Returns null when {@code vnet} was asked for and the kernel refused every offload. */
    private static TunFd openOnce(String kernelName, boolean tap, boolean vnet) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Libc.newErrno(a);
            int fd = Libc.open(e, a.allocateFrom(CLONE_DEVICE), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException(describeOpenError(Libc.errno(e)));
            }
            try {
                MemorySegment ifr = ifreq(a, kernelName);
                short flags = (short) ((tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0));
                ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, flags);
                if (Libc.ioctl(e, fd, TUNSETIFF, ifr) < 0) {
                    throw new IOException(describeSetIffError(Libc.errno(e), kernelName));
                }
                String assigned = ifr.getString(0, StandardCharsets.US_ASCII);
                int offloads = 0;
                if (vnet) {
                    offloads = enableOffload(a, e, fd);
                    if (offloads == 0) {
                        Libc.close(e, fd);
                        return null;
                    }
                }
                return new TunFd(fd, assigned, tap, offloads, vnet ? VNET_HEADER_LENGTH : 0, Waker.open());
            } catch (IOException | RuntimeException ex) {
                Libc.close(e, fd);
                throw ex;
            }
        }
    }

    /** Sets the virtio header size and the widest offload set the kernel takes; 0 when it takes none. */
    private static int enableOffload(Arena a, MemorySegment e, int fd) {
        MemorySegment size = a.allocateFrom(ValueLayout.JAVA_INT, VNET_HEADER_LENGTH);
        if (Libc.ioctl(e, fd, TUNSETVNETHDRSZ, size) < 0) {
            return 0;
        }
        int tcp = TunOffload.CSUM.bit | TunOffload.TSO4.bit | TunOffload.TSO6.bit;
        int[] tries = {tcp | TunOffload.USO4.bit | TunOffload.USO6.bit, tcp, TunOffload.CSUM.bit};
        for (int flags : tries) {
            // TUNSETOFFLOAD takes its flags by value, not through a pointer.
            if (Libc.ioctl(e, fd, TUNSETOFFLOAD, MemorySegment.ofAddress(flags)) == 0) {
                return flags;
            }
        }
        return 0;
    }

    private static MemorySegment ifreq(Arena a, String name) {
        MemorySegment ifr = a.allocate(IFREQ_SIZE);
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(ascii, 0, ifr, ValueLayout.JAVA_BYTE, 0, ascii.length);
        return ifr;
    }

    /** Sets an interface's MTU through SIOCSIFMTU on a throw-away socket. */
    public static void setMtu(String name, int mtu) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Libc.newErrno(a);
            int sock = Libc.socket(e, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            if (sock < 0) {
                throw new IOException("cannot open a control socket: " + Libc.describe(Libc.errno(e)));
            }
            try {
                MemorySegment ifr = ifreq(a, name);
                ifr.set(ValueLayout.JAVA_INT, IFNAMSIZ, mtu);
                if (Libc.ioctl(e, sock, SIOCSIFMTU, ifr) < 0) {
                    throw new IOException("cannot set MTU " + mtu + " on " + name + ": " + Libc.describe(Libc.errno(e)));
                }
            } finally {
                Libc.close(e, sock);
            }
        }
    }

    public String name() {
        return name;
    }

    /** The {@link TunOffload} bits the kernel accepted; 0 without a virtio header. */
    public int offloadFlags() {
        return offloadFlags;
    }

    /** {@link #VNET_HEADER_LENGTH} when each read returns and each write takes a virtio header first, else 0. */
    public int vnetHeaderLength() {
        return vnetHeaderLength;
    }

    /**
     * Blocks until one frame is available and reads it into {@code buf}: straight into the array when {@code len}
     * holds the largest frame the device can hand out (65,535 bytes for a plain TUN device, 65,545 with a virtio
     * header), through a native bounce buffer otherwise (so that a frame too large is detected, not cut).
     *
     * @return its length, or -1 once closed
     * @throws IOException if the frame does not fit into {@code len} bytes or the device fails
     */
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        boolean direct = len >= largestFrame;
        MemorySegment target = direct ? MemorySegment.ofArray(buf).asSlice(off, largestFrame) : readBounce;
        readLock.lock();
        try {
            while (!closed.get()) {
                long n = Libc.read(readWait.errno, fd, target, target.byteSize());
                if (n >= 0) {
                    if (!direct) {
                        if (n > len) {
                            throw new IOException(name + ": " + n + "-byte packet does not fit into " + len + " bytes");
                        }
                        MemorySegment.copy(readBounce, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
                    }
                    return (int) n;
                }
                int errno = Libc.errno(readWait.errno);
                if (errno == Libc.EAGAIN) {
                    waker.await(readWait, fd, Libc.POLLIN);
                } else if (errno != Libc.EINTR) {
                    throw new IOException(name + ": read failed: " + Libc.describe(errno));
                }
            }
            return -1;
        } finally {
            readLock.unlock();
        }
    }

    /** Writes one frame (with its virtio header first when {@link #vnetHeaderLength} is not 0), straight from the array. */
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > MAX_FRAME) {
            throw new IOException(name + ": " + len + "-byte packet is larger than any frame");
        }
        MemorySegment source = MemorySegment.ofArray(buf).asSlice(off, len);
        writeLock.lock();
        try {
            while (!closed.get()) {
                long n = Libc.write(writeWait.errno, fd, source, len);
                if (n >= 0) {
                    return;
                }
                int errno = Libc.errno(writeWait.errno);
                if (errno == Libc.EAGAIN) {
                    waker.await(writeWait, fd, Libc.POLLOUT);
                } else if (errno != Libc.EINTR) {
                    throw new IOException(name + ": write failed: " + Libc.describe(errno));
                }
            }
            throw new IOException(name + ": device is closed");
        } finally {
            writeLock.unlock();
        }
    }

    /** Idempotent; wakes a blocked reader or writer, then releases the descriptor once both have left. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        waker.wake();
        readLock.lock();
        writeLock.lock();
        try {
            Libc.close(readWait.errno, fd);
            waker.close();
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    public static String describeOpenError(int errno) {
        return describeOpenError(errno, isPermission(errno) && Capabilities.hasNetAdmin());
    }

    /** Why {@link #CLONE_DEVICE} did not open, given whether this process has CAP_NET_ADMIN (the test seam). */
    public static String describeOpenError(int errno, boolean hasNetAdmin) {
        return switch (errno) {
            case Libc.ENOENT -> CLONE_DEVICE + " does not exist: load the tun module (modprobe tun) or expose the device";
            case Libc.EPERM, Libc.EACCES ->
                "cannot open " + CLONE_DEVICE + ": " + Libc.describe(errno) + permissionHint(hasNetAdmin);
            default -> "cannot open " + CLONE_DEVICE + ": " + Libc.describe(errno);
        };
    }

    public static String describeSetIffError(int errno, String requestedName) {
        return describeSetIffError(errno, requestedName, isPermission(errno) && Capabilities.hasNetAdmin());
    }

    /** Why TUNSETIFF failed, given whether this process has CAP_NET_ADMIN (the test seam). */
    public static String describeSetIffError(int errno, String requestedName, boolean hasNetAdmin) {
        String what = "cannot create TUN/TAP interface '" + requestedName + "': " + Libc.describe(errno);
        return switch (errno) {
            case Libc.EPERM, Libc.EACCES -> what + permissionHint(hasNetAdmin);
            case Libc.EBUSY -> what + "; the name is in use by a device that is already attached";
            case Libc.EINVAL -> what + "; an existing interface with this name has another type";
            default -> what;
        };
    }

    private static boolean isPermission(int errno) {
        return errno == Libc.EPERM || errno == Libc.EACCES;
    }

    /**
     * A process without CAP_NET_ADMIN lacks the privilege; one that has it (culvertd) was refused by something else:
     * the device node's permissions, the service's device policy, or a persistent device owned by another user.
     */
    private static String permissionHint(boolean hasNetAdmin) {
        return hasNetAdmin
                ? "; refused although this process has CAP_NET_ADMIN: check " + CLONE_DEVICE + "'s permissions (its user"
                        + " must be able to open it, e.g. mode 0666) and the"
                        + " service's DevicePolicy/DeviceAllow (culvertd's unit allows " + CLONE_DEVICE + " rw), or"
                        + " whether a persistent device of that name belongs to another user or group (tun owner/group)"
                : "; root or CAP_NET_ADMIN is needed";
    }
}
