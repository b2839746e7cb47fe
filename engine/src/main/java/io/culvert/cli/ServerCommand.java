package io.culvert.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code culvert server --config FILE [--ignore-unknown]}: a server in the foreground (needs CAP_NET_ADMIN);
 * {@code culvert server diagnose} asks a running one about a path.
 */
@Command(name = "server", mixinStandardHelpOptions = true, subcommands = ServerDiagnoseCommand.class,
        description = "Runs an OpenVPN-compatible server in the foreground with an OpenVPN server config file."
                + " SIGTERM or SIGINT stops it and exits 0; SIGHUP (or 'signal SIGHUP' on the management interface)"
                + " restarts it.")
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        return Main.server(options.requireConfig(spec), options.ignoreUnknown, Cli.root(spec).err);
    }
}
