package io.culvert.cli;

import io.culvert.engine.common.Threads;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.service.CulvertService;
import io.culvert.engine.service.ServiceSettings;
import io.culvert.engine.service.SystemAccounts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code culvert service}: runs culvertd in the foreground (systemd starts it so; see
 * installer/linux/systemd/culvertd.service). SIGTERM stops every tunnel and server it runs, then exits 0.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Runs culvertd, the privileged engine service, in the foreground (systemd starts it so)."
                + " SIGTERM stops every tunnel and server it runs, then exits 0.")
final class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH", description = "the Unix socket to listen on (default: ${DEFAULT-VALUE})")
    Path socket = ServiceSettings.DEFAULT_SOCKET;

    @Option(names = "--group", paramLabel = "NAME", description = "the group that may connect (default: ${DEFAULT-VALUE})")
    String group = ServiceSettings.DEFAULT_GROUP;

    @Option(names = "--admin-group", paramLabel = "NAME",
            description = "a group whose members administer servers; repeatable (default: culvert-admin)")
    List<String> adminGroups = new ArrayList<>();

    @Option(names = "--devices", paramLabel = "kernel|memory",
            description = "kernel TUN devices, or in-memory ones for tests (default: kernel)")
    String devices = "kernel";

    @Option(names = "--max-connections", paramLabel = "N", description = "connections at once (default: ${DEFAULT-VALUE})")
    int maxConnections = ServiceSettings.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--max-connections-per-user", paramLabel = "N",
            description = "connections at once per user (default: ${DEFAULT-VALUE})")
    int perUser = ServiceSettings.Limits.DEFAULT_PER_USER;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "closes a silent connection after it")
    Long idleSeconds;

    @Option(names = "--state-dir", paramLabel = "PATH",
            description = "where state is kept (default: $STATE_DIRECTORY from systemd, else /var/lib/culvert)")
    Path stateDir;

    /** Runs {@code culvert service ARGS}, printing everything to {@code err}. */
    static int run(List<String> args, PrintStream err) {
        List<String> argv = new ArrayList<>(List.of("service"));
        argv.addAll(args);
        return Main.run(argv.toArray(String[]::new), err, err);
    }

    @Override
    public Integer call() {
        LocalEngine.Devices devices = switch (this.devices) {
            case "kernel" -> LocalEngine.Devices.KERNEL;
            case "memory" -> LocalEngine.Devices.MEMORY;
            default -> throw Cli.usage(spec, "--devices takes kernel or memory");
        };
        java.time.Duration idle = idleSeconds == null ? ServiceSettings.Limits.DEFAULT_IDLE_TIMEOUT
                : java.time.Duration.ofSeconds(idleSeconds);
        String fromUnit = Cli.root(spec).env.get("STATE_DIRECTORY"); // systemd's StateDirectory=
        Path stateDir = this.stateDir != null ? this.stateDir : fromUnit == null || fromUnit.isBlank()
                ? ServiceSettings.DEFAULT_STATE_DIR : Path.of(fromUnit.split(":")[0]);
        Set<String> admins = new LinkedHashSet<>(adminGroups);
        return serve(socket, group, admins, devices, maxConnections, perUser, idle, stateDir, Cli.root(spec).err);
    }

    private int serve(Path socket, String group, Set<String> admins, LocalEngine.Devices devices, int maxConnections,
            int perUser, java.time.Duration idle, Path stateDir, PrintStream err) {
        if (admins.isEmpty()) {
            admins.addAll(ServiceSettings.DEFAULT_ADMIN_GROUPS);
        }
        ServiceSettings settings;
        try {
            ServiceSettings.Limits d = ServiceSettings.Limits.defaults(maxConnections);
            settings = new ServiceSettings(socket, group, admins, maxConnections, stateDir,
                    new ServiceSettings.Limits(perUser, d.adminReserve(), d.handshakeTimeout(), idle));
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, e.getMessage());
        }
        LocalEngine engine = new LocalEngine(devices, InstantSource.system());
        if (devices == LocalEngine.Devices.KERNEL) {
            String stale = LocalEngine.removeStaleKillSwitch(); // no profile is active yet: a switch here was left by a crash
            if (stale != null) {
                err.println("culvert service: " + stale);
            }
        }
        CulvertService service = new CulvertService(engine, settings, new SystemAccounts(), "culvertd " + Main.version(),
                InstantSource.system());
        try {
            service.bind();
        } catch (IOException | RuntimeException e) {
            err.println("culvert service: cannot listen on " + socket + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch done = new CountDownLatch(1);
        Signals.onTerminate(() -> {
            service.close();
            Threads.platform("culvertd-stop").start(() -> {
                try {
                    service.stopAll(10_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        });
        try {
            service.serve();
            done.await();
            return 0;
        } catch (IOException e) {
            err.println("culvert service: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            service.close();
        }
    }
}
