package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code culvert warmup}: the self-check that is also the training run of the package's AOT cache. */
class WarmupCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void runsTheHandshakesItIsAskedForAndSaysSo() {
        assertEquals(0, run("warmup", "--rounds", "2"), err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("culvert warmup: 2 of 2 handshakes and their packets in \\d+ ms\\R"), printed);
    }

    @Test
    void badRoundsAreUsageErrors() {
        for (String[] args : new String[][] {{"warmup", "--rounds"}, {"warmup", "--rounds", "0"},
                {"warmup", "--rounds", "ten"}, {"warmup", "--fast"}}) {
            err.reset();
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: culvert warmup [--rounds N]"), err::toString);
        }
    }

    @Test
    void theHelpTextListsIt() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("warmup [--rounds N]"), out::toString);
    }
}
