package io.culvert.engine.daemon.protocol;

import java.util.Objects;

/** What a client sends culvertd: one {@link Hello}, then {@link Request}s (docs/protocol.md). Instances are immutable. */
public sealed interface ToService {
    /** The first line a client sends; {@code agent} names the client (may be null). */
    record Hello(long version, String agent) implements ToService {}

    /** Operation {@code operation}, answered by a response with the same {@code id}. */
    record Request(long id, Operation operation) implements ToService {
        public Request {
            Objects.requireNonNull(operation, "operation");
        }
    }
}
