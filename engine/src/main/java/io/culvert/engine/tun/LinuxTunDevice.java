package io.culvert.engine.tun;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open TUN/TAP file descriptor in non-blocking mode, read with poll(2) in short slices so that
 * {@link #close} wakes a blocked reader. Thread-safe: one reader and one writer may run concurrently.
 */
final class LinuxTunDevice implements TunDevice {
    /** How long a reader sleeps in poll(2) before it looks at the closed flag again. */
    private static final int POLL_SLICE_MILLIS = 50;
    /** Largest frame the kernel can hand out: 64 KiB IP packet plus an Ethernet and VLAN header. */
    private static final int MAX_FRAME = 65535 + 18;

    private final int fd;
    private final String name;
    private final boolean tap;
    private final int mtu;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Each side owns a native buffer; the locks also keep the fd open while a call uses it.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Memory readBuf = new Memory(MAX_FRAME);
    private final Memory writeBuf = new Memory(MAX_FRAME);
    private final Memory readPollFd = new Memory(8);
    private final Memory writePollFd = new Memory(8);

    LinuxTunDevice(int fd, String name, boolean tap, int mtu) {
        this.fd = fd;
        this.name = name;
        this.tap = tap;
        this.mtu = mtu;
        readPollFd.setInt(0, fd);
        readPollFd.setShort(4, LibC.POLLIN);
        writePollFd.setInt(0, fd);
        writePollFd.setShort(4, LibC.POLLOUT);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isTap() {
        return tap;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        readLock.lock();
        try {
            while (!closed.get()) {
                long n = LibC.read(fd, readBuf, MAX_FRAME);
                if (n >= 0) {
                    if (n > len) {
                        throw new IOException(name + ": " + n + "-byte packet does not fit into " + len + " bytes");
                    }
                    readBuf.read(0, buf, off, (int) n);
                    return (int) n;
                }
                int errno = Native.getLastError();
                if (errno == LibC.EAGAIN) {
                    awaitReady(readPollFd);
                } else if (errno != LibC.EINTR) {
                    throw new IOException(name + ": read failed: " + LibC.describe(errno));
                }
            }
            return -1;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > MAX_FRAME) {
            throw new IOException(name + ": " + len + "-byte packet is larger than any frame");
        }
        writeLock.lock();
        try {
            // Checked under the lock: close() frees the native buffers only while holding it.
            if (closed.get()) {
                throw new IOException(name + ": device is closed");
            }
            writeBuf.write(0, buf, off, len);
            while (!closed.get()) {
                long n = LibC.write(fd, writeBuf, len);
                if (n >= 0) {
                    return;
                }
                int errno = Native.getLastError();
                if (errno == LibC.EAGAIN) {
                    awaitReady(writePollFd);
                } else if (errno != LibC.EINTR) {
                    throw new IOException(name + ": write failed: " + LibC.describe(errno));
                }
            }
            throw new IOException(name + ": device is closed");
        } finally {
            writeLock.unlock();
        }
    }

    private void awaitReady(Memory pollFd) throws IOException {
        pollFd.setShort(6, (short) 0);
        if (LibC.poll(pollFd, 1, POLL_SLICE_MILLIS) < 0) {
            int errno = Native.getLastError();
            if (errno != LibC.EINTR) {
                throw new IOException(name + ": poll failed: " + LibC.describe(errno));
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Readers and writers leave within one poll slice; only then is the fd number released for reuse.
        readLock.lock();
        writeLock.lock();
        try {
            LibC.close(fd);
            readBuf.close();
            writeBuf.close();
            readPollFd.close();
            writePollFd.close();
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    @Override
    public String toString() {
        return (tap ? "tap " : "tun ") + name + " (mtu " + mtu + ")";
    }
}
