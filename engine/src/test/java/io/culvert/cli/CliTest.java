package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    private final CliRun cli = new CliRun();

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
                assertEquals(0, cli.run(argv.toArray(String[]::new)), argv + ": " + cli.err());
                assertTrue(cli.out().startsWith("Usage: culvert " + String.join(" ", command)), argv + ": " + cli.out());
                assertTrue(cli.out().contains("Exit status:") && cli.out().contains("bad usage"), argv + ": " + cli.out());
                assertEquals("", cli.err(), argv.toString());
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
            assertEquals(2, cli.run(argv.toArray(String[]::new)), argv + ": " + cli.err());
            assertTrue(cli.err().contains("unknown option '--no-such-option'"), argv + ": " + cli.err());
        }
    }

    @Test
    void anUnknownCommandAndAMissingValueAreUsageErrors() {
        assertEquals(2, cli.run("frobnicate"));
        assertTrue(cli.err().startsWith("culvert: unknown command 'frobnicate'"), cli.err());
        assertEquals(2, cli.run("pki", "frobnicate"));
        assertTrue(cli.err().startsWith("culvert pki: unknown command 'frobnicate'"), cli.err());
        assertEquals(2, cli.run("client"));
        assertTrue(cli.err().startsWith("culvert client: --config FILE is required"), cli.err());
        assertEquals(2, cli.run("server", "--config"));
        assertTrue(cli.err().startsWith("culvert server: --config needs a value"), cli.err());
        assertEquals(2, cli.run("pki", "issue"));
        assertTrue(cli.err().startsWith("culvert pki issue: missing CN"), cli.err());
        assertEquals(2, cli.run("pki", "issue", "alice", "bob"));
        assertTrue(cli.err().startsWith("culvert pki issue: unexpected 'bob'"), cli.err());
    }

    @Test
    void noCommandPrintsTheOverviewAndExitsTwo() {
        assertEquals(2, cli.run());
        assertTrue(cli.out().startsWith("Usage: culvert COMMAND [OPTIONS]"), cli.out());
    }

    @Test
    void versionEverywhere() {
        for (String[] argv : new String[][] {{"--version"}, {"-V"}, {"version"}, {"pki", "--version"}}) {
            assertEquals(0, cli.run(argv), String.join(" ", argv));
            assertEquals("culvert dev", cli.out().strip(), String.join(" ", argv));
        }
    }

    @Test
    void theCompletionScriptMentionsEveryCommand() {
        assertEquals(0, cli.run("generate-completion"), cli.err());
        String script = cli.out();
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
        assertEquals(0, cli.run("pki", "--dir", before.toString(), "init", "--algo", "ec"), cli.err());
        assertEquals(0, cli.run("pki", "init", "--dir", after.toString()), cli.err());
        assertTrue(Files.isDirectory(before) && Files.isDirectory(after), dir.toString());
        assertEquals(0, cli.run("pki", "list", "--dir", before.toString()), cli.err());
        assertTrue(cli.out().contains("(CA)"), cli.out());
    }
}
