package io.culvert.engine.api;

import java.time.Duration;
import java.time.Instant;

/** Everything the engine tells its listeners. Instances are immutable. */
public sealed interface EngineEvent {

    Instant time();

    /**
     * A state change.
     *
     * @param error set when the change was caused by a failure, else null
     * @param detail free-form technical detail (never secrets), may be empty
     */
    record StateChanged(Instant time, ConnectionState state, ErrorKind error, String detail) implements EngineEvent {}

    /** Periodic counters. */
    record Traffic(Instant time, TrafficStats stats) implements EngineEvent {}

    /** A log line as the engine wrote it. */
    record Log(Instant time, Level level, String message) implements EngineEvent {}

    /** Details of an established tunnel; sent again when a PUSH_UPDATE from the server changed them (routes, DNS). */
    record Connected(Instant time, ConnectionInfo info) implements EngineEvent {}

    /**
     * The client has sent handshake packets to a server that has not answered any of them yet. Sent again with each
     * further packet until the first answer (or the end of the attempt); UDP only, where a silent server, a blocked
     * port and a wrong address all look alike.
     *
     * @param remote the server as host:port/proto
     * @param handshakePackets handshake packets sent so far in this attempt, all unanswered (2 or more)
     * @param waited time since the first of them
     */
    record NoAnswer(Instant time, String remote, int handshakePackets, Duration waited) implements EngineEvent {}

    /**
     * A server-side change to one client instance.
     *
     * @param change what happened
     * @param detail reason or free-form detail, may be empty
     */
    record Instance(Instant time, InstanceChange change, InstanceInfo info, String detail) implements EngineEvent {}

    /** What happened to a server's client instance. */
    enum InstanceChange { CONNECTED, DISCONNECTED, KICKED, RENEGOTIATED }

    /** Log severity. */
    enum Level { DEBUG, INFO, WARN, ERROR }
}
