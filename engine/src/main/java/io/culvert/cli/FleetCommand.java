package io.culvert.cli;

import io.culvert.engine.store.FleetCertificate;
import io.culvert.engine.store.FleetClient;
import io.culvert.engine.store.FleetInstance;
import io.culvert.engine.store.FleetRepository;
import io.culvert.engine.store.FleetRevocation;
import io.culvert.engine.store.FleetServer;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import io.culvert.engine.common.PrivateFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code culvert fleet revoke|routes|address|servers|forget|add-server|remove-server --db URL}: an admin's commands on a fleet's database from any machine
 * (ADR 0055). Every running server of the fleet hears a revocation or a route change within seconds.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Administers a fleet of servers sharing one PostgreSQL: revokes clients everywhere, sets a"
                + " client's routes on every server, shows the servers' health.",
        subcommands = {FleetCommand.Revoke.class, FleetCommand.Routes.class, FleetCommand.Servers.class, FleetCommand.Forget.class,
                FleetCommand.Address.class, FleetCommand.AddServer.class, FleetCommand.RemoveServer.class})
final class FleetCommand extends CommandGroup {
    /** A server whose heartbeat is older than this is shown late; older than {@link #DOWN}, down. */
    static final Duration LATE = Duration.ofSeconds(15);
    static final Duration DOWN = Duration.ofSeconds(60);

    @Option(names = "--db", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT,
            description = "the fleet's database, a jdbc:postgresql:// URL without a user or password (required)")
    String db;

    @Mixin
    DatabaseOptions login;

    /** One {@code culvert fleet} command, run against the fleet's repository. */
    abstract static class Action extends Subcommand<FleetCommand> {
        abstract int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err);

        @Override
        public Integer call() {
            LogLevel.apply(1); // data on stdout; library chatter stays out of it
            if (parent.db == null || !parent.db.startsWith("jdbc:postgresql://")) {
                throw Cli.usage(spec, "--db needs the fleet's jdbc:postgresql:// URL");
            }
            CulvertCommand root = Cli.root(spec);
            try (Store store = Store.open(parent.db, parent.login.login(), InstantSource.system())) {
                return run(store.fleet(), InstantSource.system().instant(), root.out, root.err);
            } catch (StoreException e) {
                return failed(e);
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes every certificate the fleet issued to CN (or the one with --serial) on every server:"
                    + " connected clients are dropped within seconds and cannot connect to any server again.")
    static final class Revoke extends Action {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CN", description = "the client's common name")
        String commonName;

        @Option(names = "--serial", paramLabel = "HEX", description = "revoke this certificate serial (hexadecimal)")
        String serial;

        @Override
        public Integer call() {
            if ((commonName == null) == (serial == null)) {
                throw Cli.usage(spec, "give a CN or --serial HEX, not both");
            }
            return super.call();
        }

        @Override
        int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err) {
            List<FleetCertificate> issued = fleet.issued();
            List<FleetRevocation> done = new ArrayList<>();
            if (serial != null) {
                BigInteger s;
                try {
                    s = new BigInteger(serial.replace(":", "").replaceFirst("^0[xX]", ""), 16);
                } catch (NumberFormatException e) {
                    throw Cli.usage(spec, "--serial: not a hexadecimal serial: '" + serial + "'");
                }
                String cn = issued.stream().filter(c -> c.serial().equals(s)).map(FleetCertificate::commonName)
                        .findFirst().orElse("");
                done.add(fleet.revoke(s, cn, now));
            } else {
                for (FleetCertificate c : issued) {
                    if (c.commonName().equals(commonName)) {
                        done.add(fleet.revoke(c.serial(), c.commonName(), now));
                    }
                }
                if (done.isEmpty()) {
                    err.println(spec.qualifiedName() + ": the fleet issued no certificate to '" + commonName
                            + "' (revoke one by --serial)");
                    return ExitCodes.FAILED;
                }
            }
            for (FleetRevocation r : done) {
                out.println("revoked serial " + r.serial().toString(16) + (r.commonName().isEmpty() ? "" : " (" + r.commonName() + ")")
                        + " at " + r.revokedAt());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "routes", mixinStandardHelpOptions = true,
            description = "Sets the networks pushed to client CN as routes by every server (none: clears them)."
                    + " Connected clients get them as a PUSH_UPDATE, or reconnect when they cannot take one.")
    static final class Routes extends Action {
        @Parameters(index = "0", paramLabel = "CN", description = "the client's common name")
        String commonName;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "NET", description = "networks in CIDR notation (10.20.0.0/16)")
        List<String> networks = new ArrayList<>();

        @Override
        int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err) {
            FleetClient c = fleet.setRoutes(commonName, networks, now);
            out.println(c.commonName() + ": " + (c.routes().isEmpty() ? "no routes" : String.join(" ", c.routes())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "address", mixinStandardHelpOptions = true,
            description = "Gives client CN the static address ADDRESS whenever it connects to server SERVER (the fleet's"
                    + " ifconfig-push; inside that server's IPv4 pool), or takes it away with --clear. A connected client"
                    + " that takes PUSH_UPDATE moves to it at once; an older one is restarted by its server.")
    static final class Address extends Action {
        @Parameters(index = "0", paramLabel = "CN", description = "the client's common name")
        String commonName;

        @Parameters(index = "1", paramLabel = "SERVER", description = "the server's name in the fleet")
        String server;

        @Parameters(index = "2", arity = "0..1", paramLabel = "ADDRESS", description = "an IPv4 address in SERVER's pool")
        String address;

        @Option(names = "--clear", description = "take the client's static address on SERVER away")
        boolean clear;

        @Override
        public Integer call() {
            if ((address == null) != clear) {
                throw Cli.usage(spec, "give an ADDRESS or --clear, not both");
            }
            return super.call();
        }

        @Override
        int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err) {
            FleetClient c = fleet.setAddress(commonName, server, address, now);
            out.println(c.commonName() + ": " + (c.addresses().isEmpty() ? "no static address"
                    : c.addresses().entrySet().stream().map(e -> e.getValue() + " on " + e.getKey()).collect(Collectors.joining(", "))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "servers", mixinStandardHelpOptions = true,
            description = "Lists the fleet's servers: health by heartbeat age (ok, late over 15 s, down over 60 s),"
                    + " pools and connected clients as each last reported, and the addresses clients dial to reach it"
                    + " (HOST PORT PROTO, as exported profiles list them).")
    static final class Servers extends Action {
        @Override
        int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err) {
            Map<String, Long> clients = fleet.instances().stream()
                    .collect(Collectors.groupingBy(FleetInstance::server, Collectors.counting()));
            out.printf("%-20s %-6s %-10s %-8s %-20s %s%n", "NAME", "HEALTH", "HEARTBEAT", "CLIENTS", "POOLS", "REMOTES");
            for (FleetServer s : fleet.servers()) {
                Duration age = Duration.between(s.heartbeatAt(), now);
                String health = age.compareTo(DOWN) > 0 ? "down" : age.compareTo(LATE) > 0 ? "late" : "ok";
                String remotes = s.remotes().isEmpty() ? "-" : String.join(", ", s.remotes().stream().map(Object::toString).toList());
                out.printf("%-20s %-6s %-10s %-8d %-20s %s%n", s.name(), health, Math.max(0, age.toSeconds()) + " s ago",
                        clients.getOrDefault(s.name(), 0L), String.join(" ", s.pools()), remotes);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Removes a retired server from the fleet with its pools (another server may then claim them)"
                    + " and what it last reported. A server still running registers again at its next heartbeat but"
                    + " keeps no pool until it restarts.")
    static final class Forget extends Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "the server's name in the fleet")
        String name;

        @Override
        int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err) {
            if (!fleet.forget(name)) {
                err.println(spec.qualifiedName() + ": no server named '" + name + "' in the fleet");
                return ExitCodes.FAILED;
            }
            out.println("forgot server " + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "add-server", mixinStandardHelpOptions = true,
            description = "Creates a database role for server NAME that may run as that server and nothing else: it"
                    + " reads the fleet and writes only its own registry row, pools and reports (row-level security);"
                    + " it cannot revoke, un-revoke, set routes or touch the CA. A fresh random password goes to FILE"
                    + " (0600); copy it to the server and start it with --db-user ROLE --db-password-file FILE."
                    + " Needs a --db-user with CREATEROLE.")
    static final class AddServer extends Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "the server's name in the fleet (its --fleet-name)")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", description = "the role's name (default: culvert_srv_ and NAME folded to a-z, 0-9, _)")
        String role;

        @Option(names = "--password-out", paramLabel = "FILE", required = true,
                description = "where to write the role's new password (must not exist; written 0600)")
        Path passwordOut;

        @Override
        public Integer call() {
            if (Files.exists(passwordOut, LinkOption.NOFOLLOW_LINKS)) {
                throw Cli.usage(spec, "--password-out: " + passwordOut + " exists; give a new file");
            }
            return super.call();
        }

        @Override
        int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err) {
            String r = role != null ? role : FleetRepository.defaultRole(name);
            char[] password = newPassword();
            try {
                PrivateFiles.writePrivate(passwordOut, new String(password) + "\n");
            } catch (IOException e) {
                err.println(spec.qualifiedName() + ": cannot write " + passwordOut + ": " + e.getMessage());
                return ExitCodes.FAILED;
            }
            try {
                fleet.addServerRole(name, r, password);
            } catch (StoreException e) {
                deleteQuietly(passwordOut);
                throw e;
            } finally {
                Arrays.fill(password, '\0');
            }
            out.println("server " + name + " may now run as role " + r + "; its password is in " + passwordOut + " (0600)");
            out.println("start it with: culvert server --config FILE --fleet " + parent.db + " --fleet-name " + name
                    + " --db-user " + r + " --db-password-file " + passwordOut.getFileName());
            return ExitCodes.OK;
        }

        /** 32 characters from 24 random bytes (192 bits), URL-safe base64. */
        private static char[] newPassword() {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
        }

        private static void deleteQuietly(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the role was not created; a stale password file names nothing
            }
        }
    }

    @Command(name = "remove-server", mixinStandardHelpOptions = true,
            description = "Drops the database role of server NAME (see add-server): it can no longer log in. Sessions"
                    + " it has open stay until they end; stop the server first. Its registry entry stays: see forget.")
    static final class RemoveServer extends Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "the server's name in the fleet")
        String name;

        @Override
        int run(FleetRepository fleet, Instant now, PrintStream out, PrintStream err) {
            Optional<String> dropped = fleet.removeServerRole(name);
            if (dropped.isEmpty()) {
                err.println(spec.qualifiedName() + ": server '" + name + "' has no role of its own");
                return ExitCodes.FAILED;
            }
            out.println("dropped role " + dropped.get() + " of server " + name);
            return ExitCodes.OK;
        }
    }
}
