package io.culvert.engine.tun;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls the TUN device needs, bound by JNA direct mapping (per-packet calls stay cheap).
 * Only 64-bit Linux is supported: {@code size_t}/{@code ssize_t}/{@code unsigned long} map to {@code long}.
 * After a call returns -1, {@link Native#getLastError()} holds {@code errno}. Stateless and thread-safe.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EPERM = 1;
    static final int EACCES = 13;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int EINVAL = 22;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;

    static {
        if (!Platform.isLinux() || Native.LONG_SIZE != 8) {
            throw new UnsupportedOperationException("TUN access needs 64-bit Linux");
        }
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {}

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, Pointer arg);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    /** {@code fds} points at {@code struct pollfd { int fd; short events; short revents; }} entries. */
    static native int poll(Pointer fds, long nfds, int timeoutMillis);

    static native int socket(int domain, int type, int protocol);

    static native String strerror(int errnum);

    /** "strerror text (errno N)" for the current thread's last error. */
    static String describe(int errno) {
        return strerror(errno) + " (errno " + errno + ")";
    }
}
