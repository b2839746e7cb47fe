package io.culvert.engine.client;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client session thread's inbox: control packets from the link reader, link failures, network changes, and the
 * stop and reconnect requests, as a sealed set of {@link Event}s in one bounded queue; and the stop flag that ends the
 * runner. Any thread posts (the link reader, the device reader, {@link NetworkWatch}'s thread, callers of
 * {@link ClientRunner#stop()}); only the session thread takes. No data packet crosses it.
 */
final class RunnerQueue {
    /** What the session thread is told. */
    sealed interface Event permits LinkIn, LinkFailed, NetworkChanged, Request {}

    /** A control packet the link reader received, copied; the reader counted its bytes. */
    record LinkIn(byte[] data, int len) implements Event {}

    /** The link failed under a reader or a sender. */
    record LinkFailed(IOException error) implements Event {}

    /**
     * The network changed under the client ({@link NetworkWatch}), or the machine slept ({@link ResumeWatch});
     * {@code why} is the log line.
     */
    record NetworkChanged(String why) implements Event {}

    /** A caller's request: stop for good, or end this connection and connect again. */
    enum Request implements Event { STOP, RECONNECT }

    /**
     * 256: the control channel has at most a reliability window of packets in flight per key generation (two
     * generations), so a full queue means a flood; over UDP the excess is dropped (the peer retransmits), over TCP
     * the reader waits. A small queue also keeps latency low: nothing waits behind a standing backlog.
     */
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(256);
    private volatile boolean stopRequested;

    /** Any thread: stop for good. */
    void requestStop() {
        stopRequested = true;
        queue.offer(Request.STOP);
    }

    /** Session thread: stop without a request in the queue (an interrupt, {@code inactive}, {@code session-timeout}). */
    void markStopped() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Posts {@code e} if there is room; false when the queue is full. */
    boolean offer(Event e) {
        return queue.offer(e);
    }

    /** Posts {@code e}, waiting for room (a TCP link pushes back on its stream instead of dropping). */
    void put(Event e) throws InterruptedException {
        queue.put(e);
    }

    Event poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    Event poll() {
        return queue.poll();
    }

    /** Drops what the last attempt left behind. */
    void clear() {
        queue.clear();
    }
}
