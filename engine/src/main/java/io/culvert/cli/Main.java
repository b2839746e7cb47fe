package io.culvert.cli;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.StaticChallenge;
import io.culvert.engine.client.ClientProfile;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.Monitoring;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.fleet.FleetAgent;
import io.culvert.engine.fleet.FleetOptions;
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
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Entry point of {@code ./culvert}: {@link Cli} parses, the commands run. Exit codes: {@link ExitCodes}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // The engine jar may sit inside the app, which brings its own logging set-up; the CLI picks its own here.
        System.setProperty("logback.configurationFile", "culvert-cli-logback.xml");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns its exit code ({@link ExitCodes}). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    static int run(String[] args, PrintStream out, PrintStream err, java.util.Map<String, String> env) {
        int code = Cli.commandLine(out, err, env, args.length == 0 ? null : args[0]).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** {@code culvert server --config FILE [--ignore-unknown]}, in the foreground until stopped. */
    static int server(Path config, boolean ignoreUnknown, PrintStream err) {
        return server(config, ignoreUnknown, null, err);
    }

    /**
     * {@code culvert server --config FILE [--ignore-unknown] [--fleet URL ...]}, in the foreground until stopped; with
     * {@code fleet}, one server of a fleet (ADR 0055).
     */
    static int server(Path config, boolean ignoreUnknown, FleetOptions fleet, PrintStream err) {
        if (!Files.isReadable(config)) {
            err.println("culvert server: cannot read " + config);
            return 1;
        }
        ServerConfig cfg;
        ServerPlan plan;
        try {
            cfg = ServerConfig.load(config, ignoreUnknown);
            LogLevel.apply(cfg.monitoring().verb());
            for (String w : cfg.warnings()) {
                err.println("WARNING: " + w);
            }
            plan = ServerPlans.from(cfg, config.toAbsolutePath().getParent(), ConsolePrompts.system().passphrases());
        } catch (OvpnParseException | EngineException e) {
            err.println(config + ": " + e.getMessage());
            return 1;
        }
        FleetAgent agent = null;
        if (fleet != null) {
            try {
                agent = FleetAgent.join(fleet, cfg, InstantSource.system());
            } catch (EngineException e) {
                err.println("culvert server: " + e.getMessage());
                return 1;
            }
            plan = agent.apply(plan);
        }
        try {
            return serve(config, cfg, plan, agent, err);
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    private static int serve(Path config, ServerConfig cfg, ServerPlan plan, FleetAgent agent, PrintStream err) {
        AtomicReference<ServerRunner> current = new AtomicReference<>();
        if (agent != null) {
            agent.start(current::get);
        }
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

    /** {@code culvert client --config FILE [--ignore-unknown]}, in the foreground until stopped or failed. */
    static int client(Path config, boolean ignoreUnknown, PrintStream err) {
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
}
