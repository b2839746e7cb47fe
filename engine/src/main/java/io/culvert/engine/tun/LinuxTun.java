package io.culvert.engine.tun;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Opens Linux TUN/TAP devices through {@code /dev/net/tun}. Stateless and thread-safe. */
public final class LinuxTun {
    static final String CLONE_DEVICE = "/dev/net/tun";

    // Specification constants from <linux/if_tun.h>, <linux/if.h> and <linux/sockios.h>.
    private static final long TUNSETIFF = 0x400454caL;
    private static final long SIOCSIFMTU = 0x8922L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;

    private LinuxTun() {}

    /**
     * Creates (or attaches to) a TUN or TAP interface.
     *
     * @param requestedName "tun" or "tap" alone (or empty) lets the kernel pick {@code tunN}/{@code tapN};
     *     otherwise a name such as {@code tun0} or a pattern such as {@code culvert%d}
     * @param mtu the MTU to set, or 0 or less to keep the kernel default (1500)
     * @throws IOException with a message that names the cause (missing privileges, missing driver, busy name)
     */
    public static TunDevice open(String requestedName, boolean tap, int mtu) throws IOException {
        String name = kernelName(requestedName, tap);
        int fd = LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(describeOpenError(Native.getLastError()));
        }
        try (Memory ifr = new Memory(IFREQ_SIZE)) {
            ifr.clear();
            ifr.write(0, name.getBytes(StandardCharsets.US_ASCII), 0, name.length());
            ifr.setShort(IFNAMSIZ, (short) ((tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI));
            if (LibC.ioctl(fd, TUNSETIFF, ifr) < 0) {
                int errno = Native.getLastError();
                throw new IOException(describeSetIffError(errno, requestedName));
            }
            String assigned = ifr.getString(0, StandardCharsets.US_ASCII.name());
            int effectiveMtu = mtu > 0 ? setMtu(assigned, mtu) : 1500;
            return new LinuxTunDevice(fd, assigned, tap, effectiveMtu);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
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

    static String describeOpenError(int errno) {
        return switch (errno) {
            case LibC.ENOENT -> CLONE_DEVICE + " does not exist: load the tun module (modprobe tun) or expose the device";
            case LibC.EPERM, LibC.EACCES ->
                "cannot open " + CLONE_DEVICE + ": " + LibC.describe(errno) + "; root or CAP_NET_ADMIN is needed";
            default -> "cannot open " + CLONE_DEVICE + ": " + LibC.describe(errno);
        };
    }

    static String describeSetIffError(int errno, String requestedName) {
        String what = "cannot create TUN/TAP interface '" + requestedName + "': " + LibC.describe(errno);
        return switch (errno) {
            case LibC.EPERM, LibC.EACCES -> what + "; root or CAP_NET_ADMIN is needed";
            case LibC.EBUSY -> what + "; the name is in use by a device that is already attached";
            case LibC.EINVAL -> what + "; an existing interface with this name has another type";
            default -> what;
        };
    }

    private static int setMtu(String name, int mtu) throws IOException {
        int sock = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        if (sock < 0) {
            throw new IOException("cannot open a control socket: " + LibC.describe(Native.getLastError()));
        }
        try (Memory ifr = new Memory(IFREQ_SIZE)) {
            ifr.clear();
            ifr.write(0, name.getBytes(StandardCharsets.US_ASCII), 0, name.length());
            ifr.setInt(IFNAMSIZ, mtu);
            if (LibC.ioctl(sock, SIOCSIFMTU, ifr) < 0) {
                throw new IOException("cannot set MTU " + mtu + " on " + name + ": " + LibC.describe(Native.getLastError()));
            }
            return mtu;
        } finally {
            LibC.close(sock);
        }
    }
}
