package io.culvert.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code culvert client --config FILE [--ignore-unknown]}: a client in the foreground (needs CAP_NET_ADMIN). */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Runs an OpenVPN-compatible client in the foreground with an OpenVPN config file (.ovpn/.conf)."
                + " SIGTERM or SIGINT disconnects and exits 0.")
final class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "the OpenVPN client config (required)")
    Path config;

    @Option(names = "--ignore-unknown",
            description = "accept directives Culvert does not know, with a warning, instead of refusing")
    boolean ignoreUnknown;

    @Override
    public Integer call() {
        if (config == null) {
            throw Cli.usage(spec, "--config FILE is required");
        }
        return Main.client(config, ignoreUnknown, Cli.root(spec).err);
    }
}
