package io.culvert.cli;

import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.service.CulvertService;
import io.culvert.engine.service.ServiceSettings;
import io.culvert.engine.service.SystemAccounts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code culvert service}: runs culvertd in the foreground (systemd starts it so; see
 * installer/linux/systemd/culvertd.service). SIGTERM stops every tunnel and server it runs, then exits 0.
 */
final class ServiceCommand {
    private ServiceCommand() {}

    static final String USAGE = "culvert service [--socket PATH] [--group NAME] [--admin-group NAME]... [--devices kernel|memory]"
            + " [--max-connections N] [--max-connections-per-user N] [--idle-timeout SECONDS] [--state-dir PATH]";

    static int run(List<String> args, PrintStream err) {
        Path socket = ServiceSettings.DEFAULT_SOCKET;
        String group = ServiceSettings.DEFAULT_GROUP;
        Set<String> admins = new LinkedHashSet<>();
        LocalEngine.Devices devices = LocalEngine.Devices.KERNEL;
        int maxConnections = ServiceSettings.DEFAULT_MAX_CONNECTIONS;
        int perUser = ServiceSettings.Limits.DEFAULT_PER_USER;
        java.time.Duration idle = ServiceSettings.Limits.DEFAULT_IDLE_TIMEOUT;
        String fromUnit = System.getenv("STATE_DIRECTORY"); // systemd's StateDirectory=
        Path stateDir = fromUnit == null || fromUnit.isBlank() ? ServiceSettings.DEFAULT_STATE_DIR
                : Path.of(fromUnit.split(":")[0]);
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--socket" -> socket = Path.of(value(args, ++i, a));
                    case "--group" -> group = value(args, ++i, a);
                    case "--admin-group" -> admins.add(value(args, ++i, a));
                    case "--devices" -> devices = switch (value(args, ++i, a)) {
                        case "kernel" -> LocalEngine.Devices.KERNEL;
                        case "memory" -> LocalEngine.Devices.MEMORY;
                        default -> throw new IllegalArgumentException("--devices takes kernel or memory");
                    };
                    case "--max-connections" -> maxConnections = Integer.parseInt(value(args, ++i, a));
                    case "--max-connections-per-user" -> perUser = Integer.parseInt(value(args, ++i, a));
                    case "--idle-timeout" -> idle = java.time.Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                    case "--state-dir" -> stateDir = Path.of(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("culvert service: " + e.getMessage() + "\nUsage: " + USAGE);
            return 2;
        }
        if (admins.isEmpty()) {
            admins.addAll(ServiceSettings.DEFAULT_ADMIN_GROUPS);
        }
        ServiceSettings settings;
        try {
            ServiceSettings.Limits d = ServiceSettings.Limits.defaults(maxConnections);
            settings = new ServiceSettings(socket, group, admins, maxConnections, stateDir,
                    new ServiceSettings.Limits(perUser, d.adminReserve(), d.handshakeTimeout(), idle));
        } catch (IllegalArgumentException e) {
            err.println("culvert service: " + e.getMessage() + "\nUsage: " + USAGE);
            return 2;
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
            Thread.ofPlatform().start(() -> {
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

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
