package io.culvert.engine.api;

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
