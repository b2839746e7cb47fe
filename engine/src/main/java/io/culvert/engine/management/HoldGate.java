package io.culvert.engine.management;

/**
 * The {@code hold} flag and the wait for {@code hold release}. Thread-safe.
 */
public final class HoldGate {
    private boolean hold;
    private boolean waiting;
    private boolean released;
    private boolean startPending;

    /** With {@code hold} set, the start-up wait counts as begun at once, so early connections see the notice. */
    public HoldGate(boolean hold) {
        this.hold = hold;
        this.startPending = hold;
    }

    public synchronized boolean hold() {
        return hold;
    }

    public synchronized void setHold(boolean on) {
        hold = on;
    }

    /** True while someone waits in {@link #await}, or before the start-up wait while the flag is on. */
    public synchronized boolean waiting() {
        return waiting || (startPending && hold);
    }

    /** Ends the current (or the next) wait. */
    public synchronized void release() {
        released = true;
        startPending = false;
        notifyAll();
    }

    /**
     * When the hold flag is on, blocks until {@link #release()} (a release that came before the wait counts);
     * returns at once otherwise. {@code onWait} runs once when the wait starts (to tell the connections).
     */
    public void await(Runnable onWait) throws InterruptedException {
        synchronized (this) {
            startPending = false;
            if (!hold || released) {
                released = false;
                return;
            }
            waiting = true;
        }
        onWait.run();
        synchronized (this) {
            try {
                while (!released) {
                    wait();
                }
            } finally {
                waiting = false;
                released = false;
            }
        }
    }
}
