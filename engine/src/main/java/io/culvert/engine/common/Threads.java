package io.culvert.engine.common;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place Culvert makes threads (ADR 0049). Every thread is named ({@code <role>-<id>}) and has an
 * uncaught-exception handler that logs its name, the exception's type and stack (never its message, which may quote
 * input) and counts it in {@link #uncaught()}. Callers take a builder and add what they need ({@code daemon()},
 * {@code priority(…)}, {@code factory()}); ArchitectureTest keeps {@code new Thread}, {@code Thread.ofPlatform()} and
 * {@code Thread.ofVirtual()} out of the rest of the main code. Thread-safe.
 */
public final class Threads {
    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);
    /** How many causes deep a logged exception is followed. */
    private static final int MAX_CAUSES = 8;
    private static final AtomicLong UNCAUGHT = new AtomicLong();

    /** Logs and counts an exception that ended a thread. */
    public static final Thread.UncaughtExceptionHandler HANDLER = Threads::died;

    private Threads() {}

    /** A platform thread (JNA/FFM reads, long loops) named {@code name}, with the handler. */
    public static Thread.Builder.OfPlatform platform(String name) {
        return Thread.ofPlatform().name(name).uncaughtExceptionHandler(HANDLER);
    }

    /** A virtual thread (blocking NIO, short tasks) named {@code name}, with the handler. */
    public static Thread.Builder.OfVirtual virtual(String name) {
        return Thread.ofVirtual().name(name).uncaughtExceptionHandler(HANDLER);
    }

    /** Threads that died of an uncaught exception since the process started. */
    public static long uncaught() {
        return UNCAUGHT.get();
    }

    private static void died(Thread t, Throwable e) {
        long n = UNCAUGHT.incrementAndGet();
        LOG.error("thread {} died of an uncaught {} ({} so far)", t.getName(), e.getClass().getName(), n, withoutMessages(e, 0));
    }

    /** The exception's type and stack, and its causes', without their messages. */
    private static Throwable withoutMessages(Throwable e, int depth) {
        Throwable cause = e.getCause() == null || e.getCause() == e || depth >= MAX_CAUSES ? null
                : withoutMessages(e.getCause(), depth + 1);
        Trace trace = new Trace(e.getClass().getName(), cause);
        trace.setStackTrace(e.getStackTrace());
        return trace;
    }

    /** A stack trace under the original exception's type name. */
    private static final class Trace extends Throwable {
        private static final long serialVersionUID = 1L;

        Trace(String type, Throwable cause) {
            super(type, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
