package io.culvert.engine.tun;

import java.io.IOException;

/**
 * The kernel (through {@code ip}) refused one network change; {@link #kernelReason()} is its answer, for example
 * {@code RTNETLINK answers: File exists}. Immutable.
 */
public final class NetCommandException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String kernelReason;
    private final boolean exists;

    NetCommandException(String command, int exitCode, String kernelReason) {
        super(command + " failed (exit " + exitCode + "): " + kernelReason);
        this.kernelReason = kernelReason;
        this.exists = kernelReason.contains("File exists");
    }

    /** The refusal as the kernel worded it. */
    public String kernelReason() {
        return kernelReason;
    }

    /** True when the change was refused because it is already in place (EEXIST), which OpenVPN does not count as an error. */
    public boolean exists() {
        return exists;
    }
}
