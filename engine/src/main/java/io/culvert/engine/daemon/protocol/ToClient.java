package io.culvert.engine.daemon.protocol;

import io.culvert.engine.api.EngineEvent;
import java.util.Objects;

/**
 * What culvertd sends a client: the {@link Welcome}, a response to each request ({@link Ok} or {@link Failed}), the
 * events and ends of the handles it may see, credential prompts, and a {@link Closing} error before it hangs up
 * (docs/protocol.md). Instances are immutable.
 */
public sealed interface ToClient {
    /** The service's answer to a hello: who the caller is and when an idle connection is closed (0: unknown). */
    record Welcome(long version, String agent, String user, long uid, String role, long idleTimeoutMillis) implements ToClient {}

    /** The response to request {@code id} that succeeded, with what it produced. */
    record Ok(long id, Result result) implements ToClient {
        public Ok {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The response to a request that failed: an {@code ErrorKind} name or one of the protocol's own kinds
     * ({@code BAD_REQUEST}, {@code NOT_FOUND}, {@code BUSY} ...). {@code id} is null when the request had no
     * integer id.
     */
    record Failed(Long id, String kind, String message) implements ToClient {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            message = message == null ? "" : message;
        }
    }

    /** An event of handle {@code handle}. */
    record Event(String handle, EngineEvent event) implements ToClient {
        public Event {
            Objects.requireNonNull(handle, "handle");
            Objects.requireNonNull(event, "event");
        }
    }

    /** Handle {@code handle} has stopped; no more events come for it. */
    record Stopped(String handle) implements ToClient {
        public Stopped {
            Objects.requireNonNull(handle, "handle");
        }
    }

    /**
     * Handle {@code handle} needs credentials; answered by an {@link Operation.AnswerPrompt} naming {@code prompt}.
     * {@code request} is the id of the request that started the handle, for prompts that come before its response.
     */
    record Prompt(String handle, long request, long prompt, String text) implements ToClient {
        public Prompt {
            Objects.requireNonNull(handle, "handle");
            Objects.requireNonNull(text, "text");
        }
    }

    /** A connection-level failure (refused caller, bad hello, malformed line, idle); the service closes afterwards. */
    record Closing(String kind, String message) implements ToClient {
        public Closing {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }
}
