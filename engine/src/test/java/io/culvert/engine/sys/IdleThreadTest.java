package io.culvert.engine.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The kernel's own view of a thread that entered the idle class: {@code policy : 5} in /proc/thread-self/sched. */
class IdleThreadTest {

    @Test
    void aThreadThatEntersRunsInTheIdleClassAndOthersDoNot() throws Exception {
        AtomicReference<String> before = new AtomicReference<>();
        AtomicReference<String> after = new AtomicReference<>();
        AtomicReference<Boolean> entered = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            before.set(policy());
            entered.set(IdleThread.enter());
            after.set(policy());
        });
        t.join();
        assertTrue(entered.get(), "sched_setscheduler(SCHED_IDLE) refused");
        assertEquals("0", before.get(), "a new thread runs in SCHED_OTHER");
        assertEquals("5", after.get(), "SCHED_IDLE after enter()");
        assertEquals("0", policy(), "only the calling thread changes");
    }

    private static String policy() {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/sched")).stream().filter(l -> l.startsWith("policy"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
