package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * docs/man/ holds the man pages picocli's ManPageGenerator makes from the command classes (asciidoc, one per command),
 * and they are up to date with the code. After changing a command, regenerate them with
 * {@code ./mvnw -o -pl engine test -Dtest=ManPageTest -Dculvert.man.write=true} and commit docs/man/ (and
 * installer/linux/culvert.bash-completion, the completion script the .deb installs, held the same way).
 */
class ManPageTest {
    private static final Path DIR = Path.of("").toAbsolutePath().getParent().resolve("docs/man");

    /** Page file name (culvert-pki-export.adoc) to its text, for every command a user sees. */
    static Map<String, String> pages() {
        Map<String, String> pages = new TreeMap<>();
        collect(Cli.commandLine(System.out, System.err, Map.of()), pages);
        return pages;
    }

    private static void collect(CommandLine cl, Map<String, String> pages) {
        var spec = cl.getCommandSpec();
        if (spec.usageMessage().hidden() || spec.userObject() instanceof CommandLine.HelpCommand) {
            return;
        }
        StringWriter text = new StringWriter();
        try (PrintWriter w = new PrintWriter(text)) {
            ManPageGenerator.writeSingleManPage(w, spec);
        }
        pages.put(spec.qualifiedName("-") + ".adoc", text.toString());
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getParent() == cl) {
                collect(e.getValue(), pages);
            }
        }
    }

    @Test
    void theCommittedManPagesAreWhatTheCodeGenerates() throws IOException {
        Map<String, String> pages = pages();
        if (Boolean.getBoolean("culvert.man.write")) {
            Files.createDirectories(DIR);
            try (Stream<Path> old = Files.list(DIR)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".adoc")).toList()) {
                    Files.delete(p);
                }
            }
            for (var e : pages.entrySet()) {
                Files.writeString(DIR.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> committed = new TreeMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".adoc")).toList()) {
                committed.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        assertEquals(pages.keySet(), committed.keySet(), "docs/man/ pages; regenerate with -Dculvert.man.write=true");
        for (var e : pages.entrySet()) {
            assertEquals(e.getValue(), committed.get(e.getKey()), "docs/man/" + e.getKey()
                    + " is not what the code generates; regenerate with -Dculvert.man.write=true");
        }
    }

    /** The bash completion script the .deb installs (installer/linux/package.list) is what the code generates. */
    @Test
    void theShippedCompletionScriptIsWhatTheCodeGenerates() throws IOException {
        Path shipped = DIR.getParent().getParent().resolve("installer/linux/culvert.bash-completion");
        String script = picocli.AutoComplete.bash("culvert", Cli.commandLine(System.out, System.err, Map.of()));
        if (Boolean.getBoolean("culvert.man.write")) {
            Files.writeString(shipped, script, StandardCharsets.UTF_8);
        }
        assertEquals(script, Files.readString(shipped, StandardCharsets.UTF_8),
                shipped + " is not what the code generates; regenerate with -Dculvert.man.write=true");
    }

    @Test
    void theManPagesDocumentTheExitCodes() {
        String culvert = pages().get("culvert.adoc");
        assertTrue(culvert.contains("Exit status") && culvert.contains("bad usage"), culvert);
        assertTrue(pages().get("culvert-server-diagnose.adoc").contains("a check on the path failed"));
    }
}
