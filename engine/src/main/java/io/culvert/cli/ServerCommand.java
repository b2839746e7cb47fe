package io.culvert.cli;

import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.fleet.FleetOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code culvert server --config FILE [--ignore-unknown] [--fleet URL ...]}: a server in the foreground (needs
 * CAP_NET_ADMIN), alone or as one of a fleet (ADR 0055); {@code culvert server diagnose} asks a running one about a
 * path.
 */
@Command(name = "server", mixinStandardHelpOptions = true, subcommands = ServerDiagnoseCommand.class,
        description = "Runs an OpenVPN-compatible server in the foreground with an OpenVPN server config file."
                + " SIGTERM or SIGINT stops it and exits 0; SIGHUP (or 'signal SIGHUP' on the management interface)"
                + " restarts it. With --fleet it joins a fleet of servers sharing one PostgreSQL: its pools, revocations"
                + " and client routes.")
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--fleet", paramLabel = "JDBC_URL",
            description = "join the fleet whose database is this jdbc:postgresql:// URL (no user or password in it)")
    String fleet;

    @Option(names = "--fleet-name", paramLabel = "NAME", description = "this server's name in the fleet (default: the host name)")
    String fleetName;

    @Option(names = "--db-user", paramLabel = "USER", description = "the PostgreSQL user of the fleet's database")
    String dbUser;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "a file only its owner can read holding the PostgreSQL password (never on the command line)")
    Path dbPasswordFile;

    @Option(names = "--fleet-state", paramLabel = "DIR",
            description = "where the server keeps the fleet's last revocation list (default:"
                    + " $XDG_STATE_HOME/culvert/fleet/NAME)")
    Path fleetState;

    @Option(names = "--fleet-max-age", paramLabel = "SECONDS",
            description = "while the database is away, refuse new clients once the revocation list is older (default: 600)")
    Long fleetMaxAge;

    @Option(names = "--fleet-remote", paramLabel = "HOST[:PORT[:PROTO]]",
            description = "an address clients dial to reach this server, listed in the profiles the fleet exports;"
                    + " repeat it for several, in the order clients should try them. PORT and PROTO (udp or tcp) default"
                    + " to the config's; an IPv6 address goes in [brackets]. Default: the config's 'local' addresses,"
                    + " else the fleet name")
    List<String> fleetRemotes = new ArrayList<>();

    @Option(names = "--fleet-fail-open", description = "while the database is away, accept new clients whatever the list's age")
    boolean fleetFailOpen;

    @Override
    public Integer call() {
        Path config = options.requireConfig(spec);
        FleetOptions fleetOptions = null;
        if (fleet != null) {
            if (!fleet.startsWith("jdbc:postgresql://")) {
                throw Cli.usage(spec, "--fleet needs a jdbc:postgresql:// URL");
            }
            if (fleetMaxAge != null && fleetMaxAge < 1) {
                throw Cli.usage(spec, "--fleet-max-age needs a number of seconds above 0");
            }
            for (String r : fleetRemotes) {
                try {
                    FleetRemote.parse(r, 1194, "udp"); // the syntax now; the config's port and proto once it is read
                } catch (IllegalArgumentException e) {
                    throw Cli.usage(spec, "--fleet-remote " + e.getMessage());
                }
            }
            String name = fleetName != null ? fleetName : hostName();
            Path state = fleetState != null ? fleetState : stateHome(Cli.root(spec).env).resolve("culvert/fleet").resolve(name);
            fleetOptions = new FleetOptions(fleet, DatabaseOptions.login(dbUser, dbPasswordFile), name, state,
                    fleetMaxAge == null ? FleetOptions.DEFAULT_MAX_AGE : Duration.ofSeconds(fleetMaxAge), fleetFailOpen)
                    .withRemotes(fleetRemotes);
        } else if (fleetName != null || dbUser != null || dbPasswordFile != null || fleetState != null || fleetMaxAge != null
                || fleetFailOpen || !fleetRemotes.isEmpty()) {
            throw Cli.usage(spec, "the fleet options need --fleet JDBC_URL");
        }
        return Main.server(config, options.ignoreUnknown, fleetOptions, Cli.root(spec).err);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "server";
        }
    }

    private static Path stateHome(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg);
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
    }
}
