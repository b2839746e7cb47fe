package io.culvert.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CI stage of fuzzing (ADR 0015): every {@link FuzzTarget} runs under the Jazzer driver for a few seconds
 * ({@link FuzzTarget#ciSeconds()}, or {@code -Dculvert.fuzz.seconds}), starting from its committed corpus. Any finding fails the build
 * with the driver's report and the path of the input that caused it.
 */
class BoundedFuzzTest {
    private static final Path ENGINE = Path.of("").toAbsolutePath();

    @ParameterizedTest
    @EnumSource(FuzzTarget.class)
    void targetSurvivesABoundedFuzzRun(FuzzTarget target) throws Exception {
        int seconds = Integer.getInteger("culvert.fuzz.seconds", target.ciSeconds());
        Path work = fresh(ENGINE.resolve("target/fuzz-ci").resolve(target.dirName()));
        FuzzRun.Result r = FuzzRun.run(target, seconds, ENGINE, ENGINE.resolve("target"), work);
        System.out.println("fuzz: " + r.summary(target, seconds));
        assertTrue(r.clean(), () -> target.dirName() + ": the fuzzer found " + r.crashes() + " (exit " + r.exitCode()
                + "); driver log " + r.log() + ":\n" + r.tail());
        // The run really fuzzed: past the seeds, through instrumented code.
        long seeds;
        try (Stream<Path> s = Files.list(target.seedDir(ENGINE))) {
            seeds = s.count();
        }
        assertTrue(r.executions() > seeds + 20, () -> "only " + r.executions() + " executions:\n" + r.tail());
        assertTrue(r.edges() > 20, () -> "only " + r.edges() + " edges covered:\n" + r.tail());
    }

    @Test
    void aCrashingTargetFailsTheRun() throws Exception {
        Path work = fresh(ENGINE.resolve("target/fuzz-ci/canary"));
        Path seeds = Files.createDirectories(work.resolve("seeds"));
        Files.write(seeds.resolve("seed"), new byte[] {'C', 'U'});
        FuzzRun.Result r = FuzzRun.run(CanaryFuzz.class.getName(), "io.culvert.engine.fuzz.CanaryFuzz", seeds, 30,
                ENGINE.resolve("target"), work);
        assertFalse(r.clean(), r::tail);
        assertEquals(1, r.crashes().size(), r::tail);
        byte[] crash = Files.readAllBytes(r.crashes().getFirst());
        assertTrue(new String(crash, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("CULV"), r::tail);
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
