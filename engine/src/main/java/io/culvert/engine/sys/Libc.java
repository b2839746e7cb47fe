package io.culvert.engine.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls the engine makes, bound once as FFM downcalls. Each call takes an errno segment from
 * {@link #newErrno} as its first argument (the call state is captured there, never read from a thread-local), and
 * returns what libc returns; {@link #errno} reads the captured value after a -1. Calls that never block
 * ({@code read}/{@code write} on non-blocking descriptors, {@code sendto}/{@code recvfrom} with {@code MSG_DONTWAIT})
 * are linked {@linkplain Linker.Option#critical(boolean) critical} with heap access, so a caller's {@code byte[]}
 * is passed without a copy; {@code poll}, which sleeps, is an ordinary downcall. 64-bit Linux only. Stateless and
 * thread-safe; every errno segment belongs to one thread at a time.
 */
public final class Libc {
    // <errno.h>
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int ENETUNREACH = 101;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    // <fcntl.h>, <sys/eventfd.h>, <sys/socket.h>, <poll.h>
    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int IPPROTO_IP = 0;
    public static final int IP_PKTINFO = 8;
    public static final int SO_BINDTODEVICE = 25;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_PKTINFO = 50;
    public static final int IPV6_V6ONLY = 26;
    public static final int SOL_UDP = 17;
    public static final int UDP_SEGMENT = 103;
    public static final int UDP_GRO = 104;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_TRUNC = 0x20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option HEAP = Linker.Option.critical(true);
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(I, P, I), ERRNO);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(I, I), ERRNO);
    private static final MethodHandle IOCTL =
            bind("ioctl", FunctionDescriptor.of(I, I, L, P), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(L, I, P, L), ERRNO, HEAP);
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(L, I, P, L), ERRNO, HEAP);
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(I, P, L, I), ERRNO);
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(I, I, I, I), ERRNO);
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(I, I, I), ERRNO);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I), ERRNO);
    private static final MethodHandle GETSOCKOPT = bind("getsockopt", FunctionDescriptor.of(I, I, I, I, P, P), ERRNO);
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(I, I, P, I), ERRNO);
    private static final MethodHandle CONNECT = bind("connect", FunctionDescriptor.of(I, I, P, I), ERRNO);
    private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(I, I, P, P), ERRNO);
    private static final MethodHandle SENDTO = bind("sendto", FunctionDescriptor.of(L, I, P, L, I, P, I), ERRNO, HEAP);
    private static final MethodHandle SENDMSG = bind("sendmsg", FunctionDescriptor.of(L, I, P, I), ERRNO);
    private static final MethodHandle SENDMMSG = bind("sendmmsg", FunctionDescriptor.of(I, I, P, I, I), ERRNO);
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(L, I, P, I), ERRNO);
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(P, I));

    static {
        if (ValueLayout.ADDRESS.byteSize() != 8 || !System.getProperty("os.name", "").startsWith("Linux")) {
            throw new UnsupportedOperationException("native access needs 64-bit Linux");
        }
    }

    private Libc() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** A segment to capture errno into; one per thread that makes calls, allocated in {@code arena}. */
    public static MemorySegment newErrno(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno captured by the last call that used {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    /** "strerror text (errno N)". */
    public static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int open(MemorySegment e, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(e, path, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(MemorySegment e, int fd) {
        try {
            return (int) CLOSE.invokeExact(e, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ioctl(MemorySegment e, int fd, long request, MemorySegment arg) {
        try {
            return (int) IOCTL.invokeExact(e, fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) on a non-blocking descriptor; {@code buf} may be a heap segment. */
    public static long read(MemorySegment e, int fd, MemorySegment buf, long count) {
        try {
            return (long) READ.invokeExact(e, fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) on a non-blocking descriptor; {@code buf} may be a heap segment. */
    public static long write(MemorySegment e, int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE.invokeExact(e, fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2); {@code fds} holds {@code nfds} {@link #POLLFD_SIZE}-byte {@code struct pollfd}; -1 waits forever. */
    public static int poll(MemorySegment e, MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(e, fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static final int POLLFD_SIZE = 8;

    public static int socket(MemorySegment e, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(e, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int eventfd(MemorySegment e, int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(e, initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(MemorySegment e, int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(e, fd, level, name, value, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockopt(MemorySegment e, int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(e, fd, level, name, value, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(MemorySegment e, int fd, MemorySegment addr, int length) {
        try {
            return (int) BIND.invokeExact(e, fd, addr, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int connect(MemorySegment e, int fd, MemorySegment addr, int length) {
        try {
            return (int) CONNECT.invokeExact(e, fd, addr, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockname(MemorySegment e, int fd, MemorySegment addr, MemorySegment length) {
        try {
            return (int) GETSOCKNAME.invokeExact(e, fd, addr, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** sendto(2); pass {@code MSG_DONTWAIT}: {@code buf} may be a heap segment, so the call must not block. */
    public static long sendto(MemorySegment e, int fd, MemorySegment buf, long len, int flags, MemorySegment to, int toLen) {
        try {
            return (long) SENDTO.invokeExact(e, fd, buf, len, flags, to, toLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long sendmsg(MemorySegment e, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(e, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int sendmmsg(MemorySegment e, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(e, fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long recvmsg(MemorySegment e, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(e, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
