package io.culvert.engine.daemon.protocol;

import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.UserPass;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request asks the service to do: one record per operation, its members being the request's {@code args}
 * (docs/protocol.md §Operations). Instances are immutable.
 */
public sealed interface Operation {
    /** The operation's name on the wire. */
    Op op();

    /** An operation on one running handle, named by its {@code handle} member. */
    sealed interface OnHandle extends Operation {
        String handle();
    }

    /** Start a client from a self-contained profile (no file names; the caller inlined them). */
    record StartClient(String profile) implements Operation {
        public StartClient {
            Objects.requireNonNull(profile, "profile");
        }

        @Override
        public Op op() {
            return Op.START_CLIENT;
        }
    }

    record Disconnect(String handle) implements OnHandle {
        public Disconnect {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public Op op() {
            return Op.DISCONNECT;
        }
    }

    record ClientStatus(String handle) implements OnHandle {
        public ClientStatus {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public Op op() {
            return Op.CLIENT_STATUS;
        }
    }

    /** The handles the caller may see. */
    record ListHandles() implements Operation {
        @Override
        public Op op() {
            return Op.LIST;
        }
    }

    /** Like {@link ListHandles}, and from now on the events of every handle the caller may see. */
    record Watch() implements Operation {
        @Override
        public Op op() {
            return Op.WATCH;
        }
    }

    /** The answer to credential prompt {@code prompt}: a username and password, or empty to cancel. */
    record AnswerPrompt(long prompt, Optional<UserPass> answer) implements Operation {
        public AnswerPrompt {
            Objects.requireNonNull(answer, "answer");
        }

        @Override
        public Op op() {
            return Op.ANSWER_PROMPT;
        }
    }

    /** Start a server from a self-contained config and its client-config-dir entries (common name → text). */
    record StartServer(String config, Map<String, String> ccd) implements Operation {
        public StartServer {
            Objects.requireNonNull(config, "config");
            ccd = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ccd));
        }

        @Override
        public Op op() {
            return Op.START_SERVER;
        }
    }

    record StopServer(String handle) implements OnHandle {
        public StopServer {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public Op op() {
            return Op.STOP_SERVER;
        }
    }

    record ServerStatus(String handle) implements OnHandle {
        public ServerStatus {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public Op op() {
            return Op.SERVER_STATUS;
        }
    }

    record Kick(String handle, int peerId) implements OnHandle {
        public Kick {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public Op op() {
            return Op.KICK;
        }
    }

    /** New CRL and client-config-dir entries for a hosted server; never empty. */
    record UpdateServerFiles(String handle, ServerFileUpdate update) implements OnHandle {
        public UpdateServerFiles {
            Objects.requireNonNull(handle, "handle");
            if (update.isEmpty()) {
                throw new IllegalArgumentException("updateServerFiles needs crl, ccd or ccdRemoved");
            }
        }

        @Override
        public Op op() {
            return Op.UPDATE_SERVER_FILES;
        }
    }

    /** A PUSH_UPDATE with {@code options} to peer {@code peerId}, or to all when it is -1. */
    record PushUpdate(String handle, int peerId, String options) implements OnHandle {
        public PushUpdate {
            Objects.requireNonNull(handle, "handle");
            Objects.requireNonNull(options, "options");
        }

        @Override
        public Op op() {
            return Op.PUSH_UPDATE;
        }
    }
}
