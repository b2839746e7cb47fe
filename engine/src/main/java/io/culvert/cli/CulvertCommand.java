package io.culvert.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code culvert}: the top of the command tree (ADR 0049). Each subcommand is a picocli command class; this one only
 * prints the overview when no command is given. {@link Cli} builds the tree and its error handling.
 */
@Command(name = "culvert", mixinStandardHelpOptions = true, versionProvider = CulvertCommand.Version.class,
        synopsisHeading = "", customSynopsis = {
            "Usage: culvert COMMAND [OPTIONS]",
            "  client --config FILE [--ignore-unknown]  run a client in the foreground",
            "  server --config FILE [--ignore-unknown]  run a server in the foreground",
            "  server diagnose A B --management ADDR    ask a server why client A cannot reach B",
            "  fleet revoke|routes|servers|forget --db URL   a fleet of servers on one PostgreSQL",
            "  pki init|issue|renew|revoke|crl|list|export   the certificate authority",
            "  profile import FILE [--json]             report on a profile, then store it",
            "  profile list|show|export|delete          the stored client profiles",
            "  service [--socket PATH] [--group NAME]   culvertd, the privileged engine service",
            "  warmup [--rounds N]                      the in-memory handshake self-check",
            "  generate-completion                      print the bash completion script",
            "  --version                                print the version",
            "  help [COMMAND]                           this text, or a command's",
            ""},
        description = "Culvert, an OpenVPN-compatible VPN: headless client, server, certificate authority, stored"
                + " profiles and culvertd, the privileged engine service.",
        footer = {"", "Every command takes --help."})
final class CulvertCommand implements Callable<Integer> {
    /**
     * The commands, in the order the help lists them. {@link Cli} adds only the one a command line names when it can
     * (building every command's model costs a start of {@code culvert client} about half a second of CPU).
     */
    static final Map<String, Supplier<Object>> COMMANDS = commands();

    @Spec
    CommandSpec spec;

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("client", ClientCommand::new);
        m.put("server", ServerCommand::new);
        m.put("fleet", FleetCommand::new);
        m.put("pki", PkiCommand::new);
        m.put("profile", ProfileCommands::new);
        m.put("service", ServiceCommand::new);
        m.put("warmup", WarmupCommand::new);
        m.put("version", VersionCommand::new);
        m.put("generate-completion", CompletionCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(m);
    }

    /** Where the commands print (the launcher's streams, a test's own in tests). */
    final PrintStream out;
    final PrintStream err;
    /** The environment the commands read (XDG folders, PATH); the process's in {@code main}, a test's own in tests. */
    final Map<String, String> env;

    CulvertCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        // no command: the overview, as a usage error (scripts that forget the command see a failure)
        PrintWriter out = spec.commandLine().getOut();
        spec.commandLine().usage(out);
        out.flush();
        return ExitCodes.USAGE;
    }

    /** {@code culvert version}: the same as {@code --version}, kept from the first launcher. */
    @Command(name = "version", hidden = true, mixinStandardHelpOptions = true, description = "Prints the version.")
    static final class VersionCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("culvert " + Main.version());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /** What {@code --version} prints on every command. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"culvert " + Main.version()};
        }
    }
}
