package io.culvert.engine.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void runsCompleteHandshakesAndPacketRoundsWithBothKeyTypes() throws Exception {
        // Four rounds: RSA, EC, RSA, EC, each a full handshake through tls-crypt, exported keys, packets both ways;
        // a round that fails to handshake or to open a packet throws instead of counting.
        assertEquals(4, Warmup.run(4, InstantSource.system().instant().plusSeconds(60), InstantSource.system(),
                new AtomicBoolean()));
    }

    @Test
    void stopsAtTheDeadline() throws Exception {
        assertEquals(0, Warmup.run(1000, InstantSource.system().instant().minusSeconds(1), InstantSource.system(),
                new AtomicBoolean()));
    }

    @Test
    void stopsWhenAsked() throws Exception {
        assertEquals(0, Warmup.run(1000, InstantSource.system().instant().plusSeconds(60), InstantSource.system(),
                new AtomicBoolean(true)));
    }

    /**
     * The started thread runs in the kernel's normal class (policy 0 in /proc), never the idle class (5): an idle-class
     * thread on a busy machine held the first packets of a new tunnel for 0.2-1.2 s (EncryptedKeyInteropTest lost
     * pings, ReconnectInteropTest counted it still alive). It ends when a tunnel comes up ({@link Warmup#stop()}).
     */
    @Test
    void startRunsOnceInTheNormalClassUntilStoppedAndCanBeTurnedOff() throws Exception {
        String before = System.getProperty(Warmup.PROPERTY); // the test JVM runs with culvert.warmup=off
        Thread t;
        try {
            System.setProperty(Warmup.PROPERTY, "off");
            assertEquals(null, Warmup.start(InstantSource.system()), "off means no thread");
            System.clearProperty(Warmup.PROPERTY);
            t = Warmup.start(InstantSource.system());
            assertTrue(t.isDaemon());
            assertEquals(null, Warmup.start(InstantSource.system()), "a second start in the same JVM does nothing");
        } finally {
            if (before == null) {
                System.clearProperty(Warmup.PROPERTY);
            } else {
                System.setProperty(Warmup.PROPERTY, before);
            }
        }
        // Watched for half a second (it used to change its own class first thing), or until it ends: tests running
        // beside this one bring tunnels up, which stop it.
        Set<String> seen = new TreeSet<>();
        for (long end = System.nanoTime() + 500_000_000L; t.isAlive() && System.nanoTime() < end; Thread.sleep(10)) {
            seen.addAll(policiesOf("culvert-warmup"));
        }
        assertTrue(Set.of("0").containsAll(seen), "scheduling policy of the warm-up thread (0 normal, 5 idle): " + seen);
        Warmup.stop();
        t.join(20_000);
        assertTrue(!t.isAlive(), "warm-up ends after stop()");
    }

    /** The kernel's scheduling policy of each thread of this process named {@code name}. */
    private static List<String> policiesOf(String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> read(task.resolve("comm")).strip().equals(name))
                    .flatMap(task -> read(task.resolve("sched")).lines().filter(l -> l.startsWith("policy"))
                            .map(l -> l.substring(l.indexOf(':') + 1).strip()).limit(1))
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // the thread ended while we looked
        }
    }
}
