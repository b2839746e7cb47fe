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

    /** Details of an established tunnel. */
    record Connected(Instant time, ConnectionInfo info) implements EngineEvent {}

    /** Log severity. */
    enum Level { DEBUG, INFO, WARN, ERROR }
}
