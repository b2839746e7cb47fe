package io.culvert.engine.transport;

import io.culvert.engine.sys.RefusedDatagramsException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * The local network stack refused to send one datagram — a firewall rule (EPERM), full buffers (ENOBUFS, EAGAIN),
 * or no route while an interface flaps (ENETUNREACH, EHOSTUNREACH). The datagram is lost as on a lossy link; the
 * link itself is fine, so callers count the drop and carry on, as OpenVPN does. Immutable.
 */
public final class SendRefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int datagrams;

    private SendRefusedException(IOException cause) {
        super(cause.getMessage(), cause);
        this.datagrams = cause instanceof RefusedDatagramsException r ? r.datagrams() : 1;
    }

    /** How many datagrams the failed call lost: 1 for one datagram, more when several of a train were refused. */
    public int datagrams() {
        return datagrams;
    }

    /**
     * What a failed datagram send means: the channel's own closing stays as it is (the link is gone); anything
     * else the kernel said about this one datagram becomes a {@link SendRefusedException}.
     */
    public static IOException classify(IOException e) {
        if (e instanceof ClosedChannelException || e instanceof SendRefusedException) {
            return e;
        }
        return new SendRefusedException(e);
    }
}
