package io.culvert.engine.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moves the calling thread to Linux's {@code SCHED_IDLE} class, so that it runs only on CPU time no other thread
 * wants (Java's thread priorities are ignored on Linux). For background work such as the JIT warm-up, which must never
 * slow the first real clients on a small machine. Stateless and thread-safe.
 */
public final class IdleThread {
    private IdleThread() {}

    /** Makes the calling thread idle-class; returns false (and changes nothing) where the kernel refuses. */
    public static boolean enter() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // struct sched_param { int sched_priority = 0; }
            return Libc.schedSetScheduler(Libc.newErrno(arena), 0, Libc.SCHED_IDLE, param) == 0;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return false;
        }
    }
}
