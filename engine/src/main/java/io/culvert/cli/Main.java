package io.culvert.cli;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.StaticChallenge;
import io.culvert.engine.client.ClientProfile;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.Monitoring;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.management.ManagementServer;
import io.culvert.engine.server.ServerPlan;
import io.culvert.engine.server.ServerPlans;
import io.culvert.engine.server.ServerRunner;
import io.culvert.engine.server.StatusFile;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.IpCommandNetConfig;
import io.culvert.engine.tun.LinuxTun;
import io.culvert.engine.warmup.Warmup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Entry point of {@code ./culvert}. Exit codes: 0 done, 1 failed, 2 usage error. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // The engine jar may sit inside the app, which brings its own logging set-up; the CLI picks its own here.
        System.setProperty("logback.configurationFile", "culvert-cli-logback.xml");
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("culvert " + version());
            return 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            String help = commandUsage(args[0]);
            if (help != null) {
                out.println(help);
                return 0;
            }
        }
        return switch (args[0]) {
            case "pki" -> PkiCommand.run(rest, out, err);
            case "client" -> client(rest, err);
            case "server" -> !rest.isEmpty() && rest.getFirst().equals("diagnose")
                    ? ServerDiagnoseCommand.run(rest.subList(1, rest.size()), out, err) : server(rest, err);
            case "profile" -> ProfileCommands.run(rest, out, err, System.getenv());
            case "service" -> ServiceCommand.run(rest, err);
            case "warmup" -> warmup(rest, out, err);
            default -> {
                err.println("culvert: unknown command '" + args[0] + "'\n" + usage());
                yield 2;
            }
        };
    }

    /** The options both run commands take: {@code --config FILE [--ignore-unknown]}. */
    private record RunOptions(Path config, boolean ignoreUnknown) {}

    /** Parses run options; returns null after printing the problem. */
    private static RunOptions runOptions(String command, List<String> args, PrintStream err) {
        Path config = null;
        boolean ignoreUnknown = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--config" -> {
                    if (i + 1 >= args.size()) {
                        err.println("culvert " + command + ": --config needs a file");
                        return null;
                    }
                    config = Path.of(args.get(++i));
                }
                case "--ignore-unknown" -> ignoreUnknown = true;
                default -> {
                    err.println("culvert " + command + ": unknown option '" + args.get(i) + "'");
                    return null;
                }
            }
        }
        if (config == null) {
            err.println("culvert " + command + ": --config FILE is required");
            return null;
        }
        return new RunOptions(config, ignoreUnknown);
    }

    private static int server(List<String> args, PrintStream err) {
        RunOptions opts = runOptions("server", args, err);
        if (opts == null) {
            return 2;
        }
        Path config = opts.config();
        if (!Files.isReadable(config)) {
            err.println("culvert server: cannot read " + config);
            return 1;
        }
        ServerConfig cfg;
        ServerPlan plan;
        try {
            cfg = ServerConfig.load(config, opts.ignoreUnknown());
            LogLevel.apply(cfg.monitoring().verb());
            for (String w : cfg.warnings()) {
                err.println("WARNING: " + w);
            }
            plan = ServerPlans.from(cfg, config.toAbsolutePath().getParent(), ConsolePrompts.system().passphrases());
        } catch (OvpnParseException | EngineException e) {
            err.println(config + ": " + e.getMessage());
            return 1;
        }
        AtomicReference<ServerRunner> current = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicBoolean restart = new AtomicBoolean();
        ManagementServer mgmt;
        try {
            Monitoring mon = cfg.monitoring();
            mgmt = ManagementHook.server(mon.management(), mon.managementOptions(), config.toAbsolutePath().getParent(),
                    cfg.device().isTap(), current::get,
                    () -> stopServer(stopping, current), () -> {
                        restart.set(true);
                        stopServer(new AtomicBoolean(), current);
                    }, InstantSource.system());
        } catch (EngineException e) {
            err.println(config + ": " + e.getMessage());
            return 1;
        }
        Signals.onTerminate(() -> {
            stopServer(stopping, current);
            if (mgmt != null) {
                mgmt.hold().release();
            }
        });
        try {
            while (!stopping.get()) {
                restart.set(false);
                if (mgmt != null) {
                    mgmt.awaitHoldRelease();
                    if (stopping.get()) {
                        break;
                    }
                }
                ServerRunner runner = new ServerRunner(plan, ManagementHook.fanOut(event -> { }, mgmt), LinuxTun.FACTORY,
                        new IpCommandNetConfig(), InstantSource.system());
                Monitoring mon = cfg.monitoring();
                if (mon.statusFile() != null) {
                    runner.onTick(new StatusFile(Path.of(mon.statusFile()), mon.statusSeconds(),
                            cfg.device().isTap(), runner::instances, runner::flows, ZoneId.systemDefault()));
                }
                current.set(runner);
                if (mgmt != null) {
                    String local = cfg.addresses().ifconfigLocal();
                    ManagementHook.serverStates(mgmt, runner, local == null ? "" : local, InstantSource.system());
                }
                if (stopping.get()) {
                    break;
                }
                runner.run();
                if (!restart.get()) {
                    break;
                }
            }
            return 0;
        } catch (EngineException e) {
            err.println("culvert server: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (mgmt != null) {
                mgmt.close();
            }
        }
    }

    private static void stopServer(AtomicBoolean stopping, AtomicReference<ServerRunner> current) {
        stopping.set(true);
        ServerRunner r = current.get();
        if (r != null) {
            r.stop();
        }
    }

    private static int client(List<String> args, PrintStream err) {
        RunOptions opts = runOptions("client", args, err);
        if (opts == null) {
            return 2;
        }
        Path config = opts.config();
        boolean ignoreUnknown = opts.ignoreUnknown();
        if (!Files.isReadable(config)) {
            err.println("culvert client: cannot read " + config);
            return 1;
        }
        ClientProfile profile;
        ClientConfig cfg;
        try {
            cfg = ClientConfig.load(config, ignoreUnknown);
            LogLevel.apply(cfg.monitoring().verb());
            for (String w : cfg.warnings()) {
                err.println("WARNING: " + w);
            }
            StaticChallenge challenge = OvpnFile.parse(Files.readString(config)).directives().stream()
                    .filter(d -> d.name().equals("static-challenge")).findFirst()
                    .flatMap(d -> StaticChallenge.of(d.args())).orElse(null);
            profile = ClientProfile.from(cfg, ConsolePrompts.system(challenge));
        } catch (OvpnParseException e) {
            err.println(config + ": " + e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            err.println("culvert client: cannot read " + config + ": " + e.getMessage());
            return 1;
        } catch (EngineException e) {
            err.println(config + ": " + e.getMessage());
            return 1;
        }
        AtomicReference<ClientRunner> current = new AtomicReference<>();
        ManagementServer mgmt;
        try {
            Monitoring mon = cfg.monitoring();
            mgmt = ManagementHook.client(mon.management(), mon.managementOptions(), config.toAbsolutePath().getParent(),
                    current::get, InstantSource.system());
        } catch (EngineException e) {
            err.println(config + ": " + e.getMessage());
            return 1;
        }
        ClientRunner runner = new ClientRunner(profile, ManagementHook.fanOut(event -> { }, mgmt), LinuxTun.FACTORY,
                new IpCommandNetConfig(), DnsConfig.system(), InstantSource.system());
        current.set(runner);
        Signals.onTerminate(() -> {
            runner.stop();
            if (mgmt != null) {
                mgmt.hold().release();
            }
        });
        Monitoring mon = cfg.monitoring();
        ClientStatusFile status = mon.statusFile() == null ? null : new ClientStatusFile(Path.of(mon.statusFile()),
                mon.statusSeconds(), runner::stats, InstantSource.system(), ZoneId.systemDefault()).start();
        try {
            if (mgmt != null) {
                mgmt.awaitHoldRelease();
            }
            ErrorKind failure = runner.run();
            return failure == null ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (status != null) {
                status.close();
            }
            if (mgmt != null) {
                mgmt.close();
            }
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * {@code culvert warmup [--rounds N]}: runs the engine's in-memory warm-up (TLS handshakes through tls-crypt, data
     * packets through every AEAD cipher) in the foreground and prints what it did. A self-check that needs no root
     * and no network, and the training run of the AOT cache that the package ships (installer/linux/build-deb.sh).
     */
    private static int warmup(List<String> args, PrintStream out, PrintStream err) {
        int rounds = Warmup.SERVER_ROUNDS;
        if (args.size() == 2 && args.get(0).equals("--rounds") && args.get(1).matches("[1-9][0-9]{0,3}")) {
            rounds = Integer.parseInt(args.get(1));
        } else if (!args.isEmpty()) {
            err.println("culvert warmup: usage: culvert warmup [--rounds N] (N from 1 to 9999)");
            return 2;
        }
        long t0 = System.nanoTime();
        try {
            int done = Warmup.runNow(rounds, InstantSource.system());
            out.printf("culvert warmup: %d of %d handshakes and their packets in %d ms%n", done, rounds,
                    (System.nanoTime() - t0) / 1_000_000);
            return done == rounds ? 0 : 1;
        } catch (GeneralSecurityException | IOException e) {
            err.println("culvert warmup: failed: " + e.getMessage());
            return 1;
        }
    }

    /** What {@code culvert COMMAND --help} prints; null for an unknown command. */
    static String commandUsage(String command) {
        return switch (command) {
            case "client" -> "Usage: culvert client --config FILE [--ignore-unknown]\n"
                    + "  Runs an OpenVPN-compatible client in the foreground with an OpenVPN config file (.ovpn/.conf).\n"
                    + "  --ignore-unknown   accept directives Culvert does not know, with a warning, instead of refusing";
            case "server" -> "Usage: culvert server --config FILE [--ignore-unknown]\n"
                    + "  Runs an OpenVPN-compatible server in the foreground with an OpenVPN server config file.\n"
                    + "  --ignore-unknown   accept directives Culvert does not know, with a warning, instead of refusing\n"
                    + "Usage: " + ServerDiagnoseCommand.USAGE;
            case "pki" -> PkiCommand.usage();
            case "profile" -> ProfileCommands.usage();
            case "service" -> "Usage: " + ServiceCommand.USAGE;
            case "warmup" -> "Usage: culvert warmup [--rounds N]   (N from 1 to 9999)\n"
                    + "  Runs the in-memory handshake and packet self-check; needs no root and no network.";
            default -> null;
        };
    }

    private static String usage() {
        return """
                Usage: culvert COMMAND [OPTIONS]
                  client --config FILE [--ignore-unknown]   run an OpenVPN-compatible client in the foreground
                  server --config FILE [--ignore-unknown]   run an OpenVPN-compatible server in the foreground
                  server diagnose A B --management ADDR     ask a running server why client A cannot reach B
                  pki COMMAND ...                           certificate authority: init|issue|renew|revoke|crl|list|export
                  profile import FILE [--json]              report what Culvert does with each directive, then store it
                  profile list|show|export|delete           stored client profiles (culvert profile for details)
                  service [--socket PATH] [--group NAME]    run culvertd, the privileged engine service (systemd unit)
                  warmup [--rounds N]                       run the in-memory handshake and packet self-check
                  --version                                 print the version
                  help                                      this text
                Every command takes --help.""";
    }
}
