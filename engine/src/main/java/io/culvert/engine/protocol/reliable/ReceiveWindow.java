package io.culvert.engine.protocol.reliable;

import io.culvert.engine.protocol.ControlPacket;
import java.io.ByteArrayOutputStream;

/**
 * The 12-slot receive side of one key state: holds packets that arrive early and releases them in
 * message-id order, resets as a flag and P_CONTROL_V1 payloads as one byte stream. Not thread-safe.
 */
final class ReceiveWindow {

    static final int SIZE = 12;

    private final ControlPacket[] slots = new ControlPacket[SIZE];
    private final ByteArrayOutputStream inOrder = new ByteArrayOutputStream();
    private long next;
    private boolean resetReceived;
    private byte[] resetPayload = new byte[0];

    long next() {
        return next;
    }

    /** Marks the peer's reset as received without seeing it (stateless server handshake). */
    void skipReset() {
        next = 1;
        resetReceived = true;
    }

    boolean tooFarAhead(long id) {
        return id >= next + SIZE;
    }

    /** Stores a packet whose id is in {@code [next, next + 12)} and releases what became in order. */
    void store(ControlPacket p) {
        long id = p.messageId();
        if (id < next || tooFarAhead(id)) {
            return;
        }
        slots[(int) (id % SIZE)] = p;
        int slot = (int) (next % SIZE);
        while (slots[slot] != null) {
            ControlPacket q = slots[slot];
            slots[slot] = null;
            if (q.opcode().isReset()) {
                resetReceived = true;
                resetPayload = q.payload();
            } else {
                inOrder.writeBytes(q.payload());
            }
            next++;
            slot = (int) (next % SIZE);
        }
    }

    byte[] takeStream() {
        byte[] out = inOrder.toByteArray();
        inOrder.reset();
        return out;
    }

    boolean resetReceived() {
        return resetReceived;
    }

    byte[] resetPayload() {
        return resetPayload.clone();
    }
}
