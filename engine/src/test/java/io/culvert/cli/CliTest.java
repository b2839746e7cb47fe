package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree on picocli (ADR 0049): help everywhere, usage errors exit 2 naming the option, completion. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Every command below the root, as the words that name it ({@code [pki, export]}), hidden ones included. */
    static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        walk(Cli.commandLine(System.out, System.err, Map.of()), new ArrayList<>(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
        for (var e : cl.getSubcommands().entrySet()) {
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            all.add(sub);
            walk(e.getValue(), sub, all);
        }
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithItsUsage() {
        List<List<String>> commands = commands();
        assertTrue(commands.contains(List.of("pki", "export")) && commands.contains(List.of("server", "diagnose"))
                && commands.contains(List.of("profile", "import")), commands.toString());
        for (List<String> command : commands) {
            if (command.equals(List.of("help"))) {
                continue; // help --help is picocli's own
            }
            for (String flag : List.of("--help", "-h")) {
                List<String> argv = new ArrayList<>(command);
                argv.add(flag);
                assertEquals(0, run(argv.toArray(String[]::new)), argv + ": " + err());
                assertTrue(out().startsWith("Usage: culvert " + String.join(" ", command)), argv + ": " + out());
                assertTrue(out().contains("Exit status:") && out().contains("bad usage"), argv + ": " + out());
                assertEquals("", err(), argv.toString());
            }
        }
    }

    @Test
    void anUnknownOptionIsAUsageErrorThatNamesIt() {
        for (List<String> command : commands()) {
            if (command.equals(List.of("help"))) {
                continue; // picocli's own help command shows the overview whatever follows
            }
            List<String> argv = new ArrayList<>(command);
            argv.add("--no-such-option");
            assertEquals(2, run(argv.toArray(String[]::new)), argv + ": " + err());
            assertTrue(err().contains("unknown option '--no-such-option'"), argv + ": " + err());
        }
    }

    @Test
    void anUnknownCommandAndAMissingValueAreUsageErrors() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().startsWith("culvert: unknown command 'frobnicate'"), err());
        assertEquals(2, run("pki", "frobnicate"));
        assertTrue(err().startsWith("culvert pki: unknown command 'frobnicate'"), err());
        assertEquals(2, run("client"));
        assertTrue(err().startsWith("culvert client: --config FILE is required"), err());
        assertEquals(2, run("server", "--config"));
        assertTrue(err().startsWith("culvert server: --config needs a value"), err());
        assertEquals(2, run("pki", "issue"));
        assertTrue(err().startsWith("culvert pki issue: missing CN"), err());
        assertEquals(2, run("pki", "issue", "alice", "bob"));
        assertTrue(err().startsWith("culvert pki issue: unexpected 'bob'"), err());
    }

    @Test
    void noCommandPrintsTheOverviewAndExitsTwo() {
        assertEquals(2, run());
        assertTrue(out().startsWith("Usage: culvert COMMAND [OPTIONS]"), out());
    }

    @Test
    void versionEverywhere() {
        for (String[] argv : new String[][] {{"--version"}, {"-V"}, {"version"}, {"pki", "--version"}}) {
            assertEquals(0, run(argv), String.join(" ", argv));
            assertEquals("culvert dev", out().strip(), String.join(" ", argv));
        }
    }

    @Test
    void theCompletionScriptMentionsEveryCommand() {
        assertEquals(0, run("generate-completion"), err());
        String script = out();
        assertTrue(script.contains("complete -F _complete_culvert"), script);
        for (List<String> command : commands()) {
            assertTrue(script.contains(command.getLast()), "completion lacks " + command);
        }
        assertTrue(script.contains("--ignore-unknown") && script.contains("--server-config"), script);
    }

    @Test
    void theCaFolderOptionIsTakenBeforeAndAfterTheCommand(@TempDir Path dir) {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        assertEquals(0, run("pki", "--dir", before.toString(), "init", "--algo", "ec"), err());
        assertEquals(0, run("pki", "init", "--dir", after.toString()), err());
        assertTrue(Files.isDirectory(before) && Files.isDirectory(after), dir.toString());
        assertEquals(0, run("pki", "list", "--dir", before.toString()), err());
        assertTrue(out().contains("(CA)"), out());
    }
}
