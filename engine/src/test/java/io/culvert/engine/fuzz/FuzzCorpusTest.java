package io.culvert.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every input of every committed fuzz corpus, run in this JVM through its target (ADR 0015): the seeds and the
 * inputs of past findings (named {@code crash-*} after the bug they found) stay fixed. A failure names the file.
 */
class FuzzCorpusTest {
    private static final Path ENGINE = Path.of("").toAbsolutePath();

    @ParameterizedTest
    @EnumSource(FuzzTarget.class)
    void everyCommittedInputPasses(FuzzTarget target) throws Throwable {
        MethodHandle h = MethodHandles.publicLookup().findStatic(Class.forName(target.className()),
                "fuzzerTestOneInput", MethodType.methodType(void.class, byte[].class));
        List<Path> inputs;
        try (Stream<Path> s = Files.walk(target.seedDir(ENGINE))) {
            inputs = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(inputs.size() >= 3, target + " has a seed corpus");
        for (Path in : inputs) {
            try {
                h.invokeExact(Files.readAllBytes(in));
            } catch (Throwable t) {
                fail(target.dirName() + " fails on " + ENGINE.relativize(in) + ": " + t, t);
            }
        }
    }
}
