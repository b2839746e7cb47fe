package io.culvert.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {

    @Test
    void keepsTheHeadAndTheTailOfAChattyCommandWithinTheCap() throws IOException {
        // 200,000 numbered lines (about 1.3 MB) through a 1 KiB cap
        Processes.Result r = Processes.command("seq", "1", "200000").outputCap(1024).run();

        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("1\n2\n3\n"), r.out().substring(0, 20));
        assertTrue(r.out().endsWith("199999\n200000\n"), r.out());
        assertTrue(r.out().contains(" bytes cut …]"), r.out());
        assertTrue(r.out().length() < 1024 + 64, "kept " + r.out().length() + " characters");
    }

    @Test
    void keepsShortOutputWhole() throws IOException {
        Processes.Result r = Processes.command("sh", "-c", "echo out; echo err >&2").run();

        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
    }

    @Test
    void mergedErrorsComeWithTheOutput() throws IOException {
        Processes.Result r = Processes.command("sh", "-c", "echo err >&2").mergeErrors().run();

        assertEquals("err\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void killsTheProcessAndWhatItStartedWhenTheTimeoutPasses(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("sleeper.pid");
        Processes.Command c = Processes.command("sh", "-c", "sleep 600 & echo $! > " + pid + "; wait")
                .timeout(Duration.ofSeconds(3));

        Processes.TimedOut e = assertThrows(Processes.TimedOut.class, c::run);

        assertEquals("sh did not finish within 3 s", e.getMessage());
        ProcessHandle sleeper = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElse(null);
        if (sleeper != null) {
            sleeper.onExit().get(10, TimeUnit.SECONDS); // killed, not left running for ten minutes
        }
    }

    @Test
    void aMissingProgramIsNamedInTheError() {
        IOException e = assertThrows(IOException.class, () -> Processes.command("/nonexistent/culvert-nope", "-x").run());

        assertEquals("cannot run /nonexistent/culvert-nope: No such file or directory", e.getMessage());
    }

    @Test
    void aNonZeroExitIsReportedNotThrown() throws IOException {
        Processes.Result r = Processes.command("sh", "-c", "echo bad >&2; exit 3").run();

        assertEquals(3, r.exitCode());
        assertFalse(r.succeeded());
        assertEquals("bad\n", r.err());
    }

    @Test
    void writesInputAndClosesIt() throws IOException {
        assertEquals("hello\n", Processes.command("cat").input("hello\n").run().out());
        assertEquals("", Processes.command("cat").run().out(), "no input: standard input is closed at once");
    }

    @Test
    void anEmptyEnvironmentHasOnlyWhatTheCommandAdds() throws IOException {
        String out = Processes.command("/usr/bin/env").cleanEnv().env(Map.of("CULVERT_X", "1")).run().out();

        assertEquals("CULVERT_X=1\n", out);
    }

    @Test
    void namedCommandsAreCalledByTheirName() {
        IOException e = assertThrows(IOException.class,
                () -> Processes.command("/nonexistent/ip", "link").named("ip link").run());

        assertTrue(e.getMessage().startsWith("cannot run ip link: "), e.getMessage());
    }
}
