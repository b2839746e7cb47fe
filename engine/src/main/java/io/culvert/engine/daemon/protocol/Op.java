package io.culvert.engine.daemon.protocol;

/** The operations a request may name, with their spelling on the wire ({@code "op"}). */
public enum Op {
    START_CLIENT(Protocol.OP_START_CLIENT),
    DISCONNECT(Protocol.OP_DISCONNECT),
    CLIENT_STATUS(Protocol.OP_CLIENT_STATUS),
    LIST(Protocol.OP_LIST),
    WATCH(Protocol.OP_WATCH),
    ANSWER_PROMPT(Protocol.OP_ANSWER_PROMPT),
    START_SERVER(Protocol.OP_START_SERVER),
    STOP_SERVER(Protocol.OP_STOP_SERVER),
    SERVER_STATUS(Protocol.OP_SERVER_STATUS),
    KICK(Protocol.OP_KICK),
    UPDATE_SERVER_FILES(Protocol.OP_UPDATE_SERVER_FILES),
    PUSH_UPDATE(Protocol.OP_PUSH_UPDATE);

    private final String wire;

    Op(String wire) {
        this.wire = wire;
    }

    /** The {@code "op"} member's value. */
    public String wire() {
        return wire;
    }

    /** The operation spelt {@code wire}, or null. */
    public static Op of(String wire) {
        for (Op op : values()) {
            if (op.wire.equals(wire)) {
                return op;
            }
        }
        return null;
    }
}
