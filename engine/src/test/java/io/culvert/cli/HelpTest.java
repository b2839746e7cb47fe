package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12: "culvert pki --help says unknown option". Every command answers --help and -h with its usage, exit 0. */
class HelpTest {

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        for (String command : List.of("client", "server", "pki", "profile", "service", "warmup")) {
            for (String flag : List.of("--help", "-h")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = Main.run(new String[] {command, flag}, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                String text = out.toString(StandardCharsets.UTF_8);
                assertEquals(0, code, command + " " + flag + ": " + err);
                assertTrue(text.startsWith("Usage: culvert " + command), command + " " + flag + ": " + text);
                assertEquals("", err.toString(StandardCharsets.UTF_8), command + " " + flag);
            }
        }
    }

    @Test
    void theTopLevelUsageSaysSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Every command takes --help."));
    }
}
