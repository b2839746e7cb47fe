package io.culvert.engine.daemon.protocol;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.util.List;
import java.util.Objects;

/**
 * What a successful request produced, the {@code result} member of its response; which record depends on the
 * request's {@link Op} ({@link MessageCodec#resultOf}). Instances are immutable.
 */
public sealed interface Result {
    /** An empty result ({@code {}}): disconnect, stopServer, kick, updateServerFiles, answerPrompt. */
    record Done() implements Result {}

    /** startClient: the new handle and its first state (null when the service did not say). */
    record ClientStarted(String handle, ConnectionState state) implements Result {
        public ClientStarted {
            Objects.requireNonNull(handle, "handle");
        }
    }

    /** startServer: the new handle and where the server listens. */
    record ServerStarted(String handle, String listenAddress) implements Result {
        public ServerStarted {
            Objects.requireNonNull(handle, "handle");
        }
    }

    /** clientStatus: the state, the connection details while connected (else null) and the counters. */
    record ClientStatus(ConnectionState state, ConnectionInfo info, TrafficStats stats) implements Result {
        public ClientStatus {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(stats, "stats");
        }
    }

    /** serverStatus: where it listens, its connected clients and the traffic between them. */
    record ServerStatus(String listenAddress, List<InstanceInfo> instances, List<FlowEdge> flows) implements Result {
        public ServerStatus {
            instances = List.copyOf(instances);
            flows = List.copyOf(flows);
        }
    }

    /** list and watch: the handles the caller may see. */
    record Handles(List<HandleEntry> handles) implements Result {
        public Handles {
            handles = List.copyOf(handles);
        }
    }

    /** pushUpdate: how many clients got the update. */
    record Sent(int count) implements Result {}

    /** What a handle runs. */
    enum Kind { CLIENT, SERVER }

    /**
     * One running handle as {@code list} shows it: its id, what it runs, the owning account, and a client's state
     * or a server's listen address (null when not applicable or not known yet).
     */
    record HandleEntry(String handle, Kind kind, String owner, long ownerUid, ConnectionState state, String listenAddress) {
        public HandleEntry {
            Objects.requireNonNull(handle, "handle");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(owner, "owner");
        }
    }
}
