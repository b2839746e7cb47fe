package io.culvert.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code culvert client --config FILE [--ignore-unknown]}: a client in the foreground (needs CAP_NET_ADMIN). */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Runs an OpenVPN-compatible client in the foreground with an OpenVPN config file (.ovpn/.conf)."
                + " SIGTERM or SIGINT disconnects and exits 0.")
final class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        return Main.client(options.requireConfig(spec), options.ignoreUnknown, Cli.root(spec).err);
    }
}
