package io.culvert.engine.tun;

import io.culvert.engine.sys.Offloads;
import io.culvert.engine.sys.TunFd;
import java.io.IOException;

/**
 * Opens Linux TUN/TAP devices through {@code /dev/net/tun} (the native calls live in {@link TunFd}). As a
 * {@link TunFactory} ({@link #FACTORY}) it honours the offload request unless {@link Offloads} turns offloads off.
 * Stateless and thread-safe.
 */
public final class LinuxTun {
    private static final int IFNAMSIZ = 16;

    /** The real device factory. */
    public static final TunFactory FACTORY = new TunFactory() {
        @Override
        public TunDevice open(String requestedName, boolean tap, int mtu) throws IOException {
            return LinuxTun.open(requestedName, tap, mtu);
        }

        @Override
        public TunDevice open(String requestedName, boolean tap, int mtu, boolean offload) throws IOException {
            return LinuxTun.open(requestedName, tap, mtu, offload);
        }
    };

    private LinuxTun() {}

    /** Opens a plain device: one packet per read and write, no virtio header. */
    public static TunDevice open(String requestedName, boolean tap, int mtu) throws IOException {
        return open(requestedName, tap, mtu, false);
    }

    /**
     * Creates (or attaches to) a TUN or TAP interface.
     *
     * @param requestedName "tun" or "tap" alone (or empty) lets the kernel pick {@code tunN}/{@code tapN};
     *     otherwise a name such as {@code tun0} or a pattern such as {@code culvert%d}
     * @param mtu the MTU to set, or 0 or less to keep the kernel default (1500)
     * @param offload ask for a virtio header and TSO/USO (see {@link TunDevice#vnetHeaderLength}); ignored when
     *     {@link Offloads#current()} is off; falls back to a plain device when the kernel refuses
     * @throws IOException with a message that names the cause (missing privileges, missing driver, busy name)
     */
    public static TunDevice open(String requestedName, boolean tap, int mtu, boolean offload) throws IOException {
        String name = kernelName(requestedName, tap);
        TunFd fd = TunFd.open(name, tap, offload && Offloads.current().enabled());
        try {
            int effectiveMtu = 1500;
            if (mtu > 0) {
                TunFd.setMtu(fd.name(), mtu);
                effectiveMtu = mtu;
            }
            return new LinuxTunDevice(fd, tap, effectiveMtu);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Maps the caller's request to the name given to TUNSETIFF; empty means "kernel picks". */
    static String kernelName(String requested, boolean tap) {
        String name = requested == null ? "" : requested.strip();
        if (name.equals("tun") || name.equals("tap")) {
            name = "";
        }
        if (name.length() >= IFNAMSIZ || !name.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/')) {
            throw new IllegalArgumentException("invalid interface name: '" + requested + "' (max 15 ASCII characters, no '/')");
        }
        return name;
    }
}
