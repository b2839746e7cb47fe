package io.culvert.engine.client;

import io.culvert.engine.sys.SuspendClock;

/**
 * Notices that the machine has just woken from a suspend, so that the client reconnects at once instead of waiting for
 * ping-restart on a path that is likely gone (NAT state expired, another network, a server that dropped the session):
 * the network changes the machine slept through raise no route event. OpenVPN itself waits; NetworkManager's plugin
 * restarts it on resume, and Culvert does that itself. Owned by the runner's thread.
 */
final class ResumeWatch {
    /** A sleep this long or longer counts; shorter jumps are the clocks' own steps and scheduling. */
    static final long MIN_SLEEP_MILLIS = 3_000;
    private final SuspendClock clock;
    private long last;

    ResumeWatch(SuspendClock clock) {
        this.clock = clock;
        this.last = clock.suspendedMillis();
    }

    /** Takes the clock as it is now as the one to compare with, without reporting (a new attempt starts afresh). */
    void reset() {
        last = clock.suspendedMillis();
    }

    /** "the machine woke up after N s asleep" when it slept since the last call, else null. */
    String check() {
        long now = clock.suspendedMillis();
        long slept = now - last;
        last = now;
        return slept >= MIN_SLEEP_MILLIS ? "the machine woke up after " + Math.round(slept / 1000.0) + " s asleep" : null;
    }
}
