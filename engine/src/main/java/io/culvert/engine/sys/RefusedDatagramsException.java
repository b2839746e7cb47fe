package io.culvert.engine.sys;

import java.io.IOException;

/**
 * The kernel refused {@link #datagrams()} datagrams of one send call (a firewall rule, full buffers, no route); the
 * others left. The message is the first refusal's. Immutable.
 */
public final class RefusedDatagramsException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int datagrams;

    RefusedDatagramsException(IOException first, int datagrams) {
        super(first.getMessage(), first);
        this.datagrams = datagrams;
    }

    /** How many datagrams of the call were refused (at least 1). */
    public int datagrams() {
        return datagrams;
    }
}
