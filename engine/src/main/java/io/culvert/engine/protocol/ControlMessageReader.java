package io.culvert.engine.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reassembles NUL-terminated control messages from TLS plaintext that may arrive split or joined
 * across reads. Memory is bounded: a message longer than {@link ControlMessages#MAX_MESSAGE_WITH_NUL}
 * is discarded up to its NUL. Not thread-safe.
 */
public final class ControlMessageReader {

    private final byte[] buf = new byte[ControlMessages.MAX_MESSAGE_WITH_NUL];
    private int used;
    private boolean discarding;
    private long dropped;

    /** Appends plaintext and returns the messages it completed, in order. */
    public List<String> feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        List<String> out = new ArrayList<>();
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0) {
                if (discarding) {
                    discarding = false;
                } else {
                    String m = ControlMessages.clean(buf, 0, used);
                    if (m != null) {
                        out.add(m);
                    } else if (used > 0) {
                        dropped++;
                    }
                }
                used = 0;
            } else if (!discarding) {
                if (used == buf.length - 1) {
                    discarding = true;
                    dropped++;
                    used = 0;
                } else {
                    buf[used++] = c;
                }
            }
        }
        return out;
    }

    /** Bytes held for a message whose NUL has not arrived yet. */
    public int bufferedBytes() {
        return used;
    }

    /** Messages dropped so far as oversized or containing non-printable bytes. */
    public long droppedMessages() {
        return dropped;
    }
}
