package io.culvert.engine.tun;

import io.culvert.engine.sys.TunFd;
import io.culvert.engine.sys.TunOffload;
import java.io.IOException;
import java.util.Set;

/**
 * A Linux TUN/TAP device over a {@link TunFd}: reads and writes move bytes straight between the caller's array and
 * the kernel, and a blocked reader sleeps without a timeout until a packet comes or {@link #close} wakes it.
 * Thread-safe: one reader and one writer may run concurrently.
 */
final class LinuxTunDevice implements TunDevice {
    private final TunFd fd;
    private final boolean tap;
    private final int mtu;
    private final Set<TunOffload> offloads;

    LinuxTunDevice(TunFd fd, boolean tap, int mtu) {
        this.fd = fd;
        this.tap = tap;
        this.mtu = mtu;
        this.offloads = Set.copyOf(TunOffload.of(fd.offloadFlags()));
    }

    @Override
    public String name() {
        return fd.name();
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
    public int vnetHeaderLength() {
        return fd.vnetHeaderLength();
    }

    @Override
    public Set<TunOffload> offloads() {
        return offloads;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return fd.read(buf, off, len);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        fd.write(buf, off, len);
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return (tap ? "tap " : "tun ") + name() + " (mtu " + mtu + (offloads.isEmpty() ? "" : ", offloads " + offloads) + ")";
    }
}
