package io.culvert.engine.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Linux capabilities this process holds, read from {@code /proc/self/status}. */
public final class Capabilities {
    /** CAP_NET_ADMIN's bit in the capability sets (linux/capability.h). */
    static final int CAP_NET_ADMIN = 12;

    private Capabilities() {}

    /** Whether CAP_NET_ADMIN is in this process's effective set; false when that cannot be read. */
    public static boolean hasNetAdmin() {
        try {
            return netAdminIn(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the CapEff line of a {@code /proc/<pid>/status} text has CAP_NET_ADMIN; false without one. */
    public static boolean netAdminIn(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long eff = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                return (eff & (1L << CAP_NET_ADMIN)) != 0;
            }
        }
        return false;
    }
}
