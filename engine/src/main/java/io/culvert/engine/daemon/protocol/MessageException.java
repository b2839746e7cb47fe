package io.culvert.engine.daemon.protocol;

/**
 * A line that is JSON but not a valid message: which rule it broke ({@link Reason}), the member at fault when there
 * is one, and, for a request whose envelope could be read, its id and operation name so the service can answer it.
 */
public final class MessageException extends JsonException {
    /** What is wrong with the message. */
    public enum Reason {
        /** The {@code type} member names no message this side receives. */
        UNKNOWN_TYPE,
        /** A request's {@code op} names no operation. */
        UNKNOWN_OP,
        /** A member the message needs is absent or null. */
        MISSING_FIELD,
        /** A member has the wrong JSON type (a string where an integer belongs ...). */
        WRONG_TYPE,
        /** A member has the right type but a value out of range or not in its set. */
        BAD_VALUE
    }

    private final Reason reason;
    private final String field;
    private final Long requestId;
    private final String op;

    MessageException(Reason reason, String field, String message) {
        this(reason, field, message, null, null);
    }

    private MessageException(Reason reason, String field, String message, Long requestId, String op) {
        super(message);
        this.reason = reason;
        this.field = field;
        this.requestId = requestId;
        this.op = op;
    }

    /** The same fault, placed in the request with id {@code requestId} (null when unreadable) and op {@code op}. */
    MessageException inRequest(Long requestId, String op) {
        return new MessageException(reason, field, getMessage(), requestId, op);
    }

    public Reason reason() {
        return reason;
    }

    /** The member at fault (dotted for nested members, {@code args.peerId}), or null. */
    public String field() {
        return field;
    }

    /** The id of the request this fault is in, or null (not a request, or its id is not an integer). */
    public Long requestId() {
        return requestId;
    }

    /** The {@code op} of the request this fault is in ("" when absent), or null when not a request. */
    public String op() {
        return op;
    }
}
