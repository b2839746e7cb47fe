package io.culvert.engine.testkit;

/** Waiting in tests: one place for the sleep-and-interrupt dance the interop rigs need. */
public final class Pause {
    private Pause() {}

    /** Sleeps; an interrupt keeps the thread's flag and ends the test with an exception. */
    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sleeps; an interrupt keeps the thread's flag and returns false, for loops that an interrupt stops. */
    public static boolean quietly(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
