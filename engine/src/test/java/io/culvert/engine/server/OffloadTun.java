package io.culvert.engine.server;

import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.sys.TunOffload;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.TunDevice;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * An {@link InMemoryTun} that behaves as a device opened with offloads: every read and write carries a
 * {@link VirtioNetHdr} before the packet, which the tests put there and check themselves. Thread-safe, as the
 * in-memory device is.
 */
record OffloadTun(InMemoryTun memory) implements TunDevice {
    @Override
    public String name() {
        return memory.name();
    }

    @Override
    public boolean isTap() {
        return memory.isTap();
    }

    @Override
    public int mtu() {
        return memory.mtu();
    }

    @Override
    public int vnetHeaderLength() {
        return VirtioNetHdr.LENGTH;
    }

    @Override
    public Set<TunOffload> offloads() {
        return EnumSet.of(TunOffload.CSUM, TunOffload.TSO4, TunOffload.TSO6);
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return memory.read(buf, off, len);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        memory.write(buf, off, len);
    }

    @Override
    public void close() {
        memory.close();
    }
}
