package io.culvert.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the {@code culvert} command tree on picocli (ADR 0049): where its output goes, the exit codes every command
 * documents, and how bad usage is reported: {@code culvert COMMAND: what is wrong, naming the option}, then the
 * command's usage, exit 2. A command that fails at run time prints its own message and returns 1.
 */
final class Cli {
    private Cli() {}

    /** The whole tree, printing to {@code out} and {@code err}; {@code env} is what the commands read. */
    static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> env) {
        return commandLine(out, err, env, null);
    }

    /**
     * The tree for a command line whose first word is {@code first}: only that command under the root when it names
     * one that needs no other (not {@code help}, not {@code generate-completion}), else every command.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> env, String first) {
        CulvertCommand root = new CulvertCommand(out, err, env);
        CommandLine cl = new CommandLine(root);
        boolean one = first != null && CulvertCommand.COMMANDS.containsKey(first) && !first.equals("help")
                && !first.equals("generate-completion");
        for (var e : CulvertCommand.COMMANDS.entrySet()) {
            if (!one || e.getKey().equals(first)) {
                cl.addSubcommand(e.getKey(), e.getValue().get());
            }
        }
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExpandAtFiles(false); // "@file" is an ordinary argument, as it always was
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as it always did
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(out == System.out ? Ansi.AUTO : Ansi.OFF));
        cl.setParameterExceptionHandler(Cli::usageError);
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return ExitCodes.FAILED;
        });
        decorate(cl);
        // the overview's synopsis lists the commands with their main options; picocli's list would repeat it
        cl.getHelpSectionMap().remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
        cl.getHelpSectionMap().remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
        return cl;
    }

    /**
     * Every command answers {@code --version} and lists the common exit codes, then its own (a command's
     * {@code exitCodeList}).
     */
    private static void decorate(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new CulvertCommand.Version());
        Map<String, String> codes = new LinkedHashMap<>(ExitCodes.DESCRIBED);
        codes.putAll(cl.getCommandSpec().usageMessage().exitCodeList());
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl) { // aliases map to the same command once
                decorate(sub);
            }
        }
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        err.println(c.getCommandSpec().qualifiedName() + ": " + message(e)
                + (c.getCommandSpec().userObject() instanceof WarmupCommand ? "; " + WarmupCommand.USAGE : ""));
        c.usage(err);
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Picocli's message in the launcher's words, which scripts and tests have seen since the first release. */
    static String message(ParameterException e) {
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        List<String> unmatched = e instanceof UnmatchedArgumentException u ? u.getUnmatched()
                : e.getCommandLine().getUnmatchedArguments(); // an unknown option before a missing operand is named first
        if (!unmatched.isEmpty()) {
            String first = unmatched.getFirst();
            if (first.startsWith("-") && first.length() > 1) {
                return "unknown option '" + first + "'";
            }
            if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
                return "unknown command '" + first + "'";
            }
            return "unexpected '" + first + "'";
        }
        if (e instanceof MissingParameterException m) {
            String text = m.getMessage();
            if (text.startsWith("Missing required parameter for option '")) {
                return text.substring("Missing required parameter for option '".length()).replaceFirst("'.*", "")
                        + " needs a value";
            }
            return "missing " + describe(m.getMissing());
        }
        return e.getMessage();
    }

    private static String describe(List<ArgSpec> missing) {
        return missing.stream().map(a -> a instanceof OptionSpec o ? o.longestName() + " " + o.paramLabel()
                : a.paramLabel()).collect(Collectors.joining(", "));
    }

    /** The root command object, which holds the streams and the environment. */
    static CulvertCommand root(CommandSpec spec) {
        return (CulvertCommand) spec.root().userObject();
    }

    /** A usage error raised by a command's own checks, reported like picocli's. */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
