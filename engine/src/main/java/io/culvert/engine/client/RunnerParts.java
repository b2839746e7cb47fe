package io.culvert.engine.client;

import java.time.InstantSource;

/**
 * The parts of one {@link ClientRunner#run} that every connection attempt shares, wired once by the runner: the
 * profile, what the runner says ({@link RunnerStatus}) and counts ({@link TrafficCounters}), the session thread's
 * inbox ({@link RunnerQueue}), the clock, the route to the server ({@link ServerRouteWatch}), the transport choice
 * ({@link TransportChoice}) and the kill switch while one is held (else null). A value; the parts say their threads.
 */
record RunnerParts(
        ClientProfile profile, RunnerStatus status, RunnerQueue events, TrafficCounters counters, InstantSource clock,
        ServerRouteWatch routes, TransportChoice transports, HeldKillSwitch killSwitch) {}
