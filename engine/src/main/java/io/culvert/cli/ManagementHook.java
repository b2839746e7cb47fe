package io.culvert.cli;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.ManagementOptions;
import io.culvert.engine.management.ManagementServer;
import io.culvert.engine.management.ManagementTarget;
import io.culvert.engine.management.StateRecord;
import io.culvert.engine.server.ServerRunner;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Starts the management interface for {@code culvert client|server} when the config has {@code management}, and
 * adapts the running client or server to it. Runners are looked up on every call, so a restarted server is
 * managed too. Thread-safe.
 */
final class ManagementHook {
    private ManagementHook() {}

    /** The interface for a client, started, or null when the config has no {@code management}. */
    static ManagementServer client(String managementArgs, ManagementOptions options, Path baseDir,
            Supplier<ClientRunner> runner, InstantSource clock) throws EngineException {
        if (managementArgs == null) {
            return null;
        }
        ManagementServer[] self = new ManagementServer[1];
        ManagementTarget target = new ManagementTarget() {
            @Override
            public boolean server() {
                return false;
            }

            @Override
            public TrafficStats stats() {
                ClientRunner r = runner.get();
                return r == null ? TrafficStats.NONE : r.stats();
            }

            @Override
            public List<InstanceInfo> instances() {
                return List.of();
            }

            @Override
            public boolean tap() {
                return false;
            }

            @Override
            public boolean kill(int clientId) {
                return false;
            }

            @Override
            public void signal(Signal signal) {
                ClientRunner r = runner.get();
                switch (signal) {
                    case SIGTERM -> {
                        if (r != null) {
                            r.stop();
                        }
                        self[0].journal().onEvent(new EngineEvent.StateChanged(clock.instant(),
                                io.culvert.engine.api.ConnectionState.EXITING, null, "SIGTERM"));
                        self[0].hold().release();
                    }
                    case SIGHUP, SIGUSR1 -> {
                        if (r != null) {
                            r.reconnect();
                        }
                    }
                    case SIGUSR2 -> self[0].journal().log(clock.instant(), "I", "Traffic: " + stats());
                }
            }
        };
        self[0] = ManagementServer.create(managementArgs, options, baseDir, target, Main.version(), clock);
        self[0].start();
        return self[0];
    }

    /** The interface for a server, started, or null when the config has no {@code management}. */
    static ManagementServer server(String managementArgs, ManagementOptions options, Path baseDir, boolean tap,
            Supplier<ServerRunner> runner, Runnable stop, Runnable restart, InstantSource clock) throws EngineException {
        if (managementArgs == null) {
            return null;
        }
        ManagementTarget target = new ManagementTarget() {
            @Override
            public boolean server() {
                return true;
            }

            @Override
            public TrafficStats stats() {
                return TrafficStats.NONE;
            }

            @Override
            public List<InstanceInfo> instances() {
                ServerRunner r = runner.get();
                return r == null ? List.of() : r.instances();
            }

            @Override
            public boolean tap() {
                return tap;
            }

            @Override
            public Map<String, Long> counters() {
                ServerRunner r = runner.get();
                Map<String, Long> out = new java.util.TreeMap<>();
                if (r != null) {
                    r.webSocketCounters().forEach((k, v) -> out.put("culvert_websocket_refused_" + k, v));
                    r.switchDrops().forEach((k, v) -> out.put("culvert_dropped_" + k, v));
                }
                return out;
            }

            @Override
            public boolean kill(int clientId) {
                ServerRunner r = runner.get();
                return r != null && r.kick(clientId);
            }

            @Override
            public int pushUpdate(long clientId, String options) {
                ServerRunner r = runner.get();
                return r == null ? 0 : r.pushUpdate(clientId < 0 ? -1 : (int) clientId, options);
            }

            @Override
            public io.culvert.engine.api.PathCheck diagnose(String from, String to, boolean probe)
                    throws EngineException {
                ServerRunner r = runner.get();
                if (r == null) {
                    throw new EngineException(io.culvert.engine.api.ErrorKind.NETWORK_UNREACHABLE,
                            "the server is not running");
                }
                return r.diagnose(from, to, probe);
            }

            @Override
            public void signal(Signal signal) {
                switch (signal) {
                    case SIGTERM -> stop.run();
                    case SIGHUP, SIGUSR1 -> restart.run();
                    case SIGUSR2 -> { }
                }
            }
        };
        ManagementServer m = ManagementServer.create(managementArgs, options, baseDir, target, Main.version(), clock);
        m.start();
        return m;
    }

    /** Records a server's start-up states (a server emits none itself) once {@code runner} listens. */
    static void serverStates(ManagementServer m, ServerRunner runner, String tunIp, InstantSource clock) {
        long t = clock.instant().getEpochSecond();
        m.journal().state(new StateRecord(t, "CONNECTING", "", "", "", "", "", "", ""));
        m.journal().state(new StateRecord(t, "ASSIGN_IP", "", tunIp, "", "", "", "", ""));
        Threads.virtual("culvert-mgmt-started").start(() -> {
            try {
                if (runner.awaitStarted(60, TimeUnit.SECONDS)) {
                    InetSocketAddress a = runner.boundAddress();
                    m.journal().state(new StateRecord(clock.instant().getEpochSecond(), "CONNECTED", "SUCCESS", tunIp,
                            "", "", a.getAddress().getHostAddress(), Integer.toString(a.getPort()), ""));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Feeds both the caller's listener and the interface (when there is one). */
    static EngineListener fanOut(EngineListener first, ManagementServer m) {
        return m == null ? first : event -> {
            first.onEvent(event);
            m.journal().onEvent(event);
        };
    }
}
