package io.culvert.engine.sys;

import java.util.EnumSet;
import java.util.Set;

/** The TUN offload flags of {@code TUNSETOFFLOAD} ({@code <linux/if_tun.h>}) the engine asks for. Immutable. */
public enum TunOffload {
    /** The kernel may hand out packets with a partial checksum (virtio {@code NEEDS_CSUM}) and takes them. */
    CSUM(0x01),
    /** TCP over IPv4 super-segments (TSO). */
    TSO4(0x02),
    /** TCP over IPv6 super-segments. */
    TSO6(0x04),
    /** UDP over IPv4 super-segments (USO, Linux 6.2+). */
    USO4(0x20),
    /** UDP over IPv6 super-segments. */
    USO6(0x40);

    /** The flag's bit in {@code TUNSETOFFLOAD}. */
    public final int bit;

    TunOffload(int bit) {
        this.bit = bit;
    }

    /** The flags set in {@code bits}. */
    public static Set<TunOffload> of(int bits) {
        EnumSet<TunOffload> set = EnumSet.noneOf(TunOffload.class);
        for (TunOffload o : values()) {
            if ((bits & o.bit) != 0) {
                set.add(o);
            }
        }
        return set;
    }
}
