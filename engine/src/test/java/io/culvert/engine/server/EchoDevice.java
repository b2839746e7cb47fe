package io.culvert.engine.server;

import io.culvert.engine.tun.TunDevice;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory TUN device that behaves like a host answering pings: every IPv4 ICMP echo request written to it
 * comes back out of {@link #read} as the matching echo reply. It counts requests per source in a table sized up
 * front (indexed by the low 16 bits of the source address), so counting adds no memory per client. Thread-safe.
 */
final class EchoDevice implements TunDevice {
    private final String name;
    private final int mtu;
    private final BlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(4096);
    private final AtomicIntegerArray perSource = new AtomicIntegerArray(65536);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    EchoDevice(String name, int mtu) {
        this.name = name;
        this.mtu = mtu;
    }

    /** ICMP echo requests written so far. */
    long requests() {
        return requests.get();
    }

    /** Packets written that were not ICMP echo requests. */
    long otherPackets() {
        return other.get();
    }

    /** How many distinct sources (by the low 16 bits of their address) sent at least one echo request. */
    int distinctSources() {
        int n = 0;
        for (int i = 0; i < perSource.length(); i++) {
            if (perSource.get(i) > 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isTap() {
        return false;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        try {
            while (!closed.get()) {
                byte[] p = replies.poll(50, TimeUnit.MILLISECONDS);
                if (p != null) {
                    if (p.length > len) {
                        throw new IOException("packet of " + p.length + " bytes does not fit " + len);
                    }
                    System.arraycopy(p, 0, buf, off, p.length);
                    return p.length;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        int ihl = len > 0 ? (buf[off] & 0x0f) * 4 : 0;
        boolean echo = len >= 28 && (buf[off] & 0xf0) == 0x40 && buf[off + 9] == 1 && ihl >= 20 && len >= ihl + 8
                && buf[off + ihl] == 8;
        if (!echo) {
            other.incrementAndGet();
            return;
        }
        requests.incrementAndGet();
        perSource.incrementAndGet(((buf[off + 14] & 0xff) << 8) | (buf[off + 15] & 0xff));
        byte[] reply = new byte[len];
        System.arraycopy(buf, off, reply, 0, len);
        System.arraycopy(buf, off + 16, reply, 12, 4);
        System.arraycopy(buf, off + 12, reply, 16, 4);
        reply[ihl] = 0;
        // Type 8 → 0 lowers the ones'-complement sum by 0x0800: add it back to the checksum (RFC 1624).
        int sum = (((reply[ihl + 2] & 0xff) << 8) | (reply[ihl + 3] & 0xff)) + 0x0800;
        sum = (sum & 0xffff) + (sum >>> 16);
        reply[ihl + 2] = (byte) (sum >> 8);
        reply[ihl + 3] = (byte) sum;
        replies.offer(reply);
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
