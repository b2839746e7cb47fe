package io.culvert.engine.local;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.client.ClientProfile;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.client.KillSwitchRules;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.server.ServerPlans;
import io.culvert.engine.server.ServerRunner;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.IpCommandNetConfig;
import io.culvert.engine.tun.LinuxTun;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.NoNetConfig;
import io.culvert.engine.tun.TunFactory;
import io.culvert.engine.warmup.Warmup;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs clients and servers inside this process. With {@link Devices#KERNEL} it opens real TUN/TAP devices (root
 * or CAP_NET_ADMIN needed); with {@link Devices#MEMORY} every device lives in memory, for the no-root demo and
 * tests. Thread-safe.
 */
public final class LocalEngine implements Engine {

    /** Where tunnel devices come from. */
    public enum Devices {
        /** Real TUN/TAP devices through /dev/net/tun and `ip`. */
        KERNEL,
        /** In-memory devices; nothing on the host changes. */
        MEMORY
    }

    private final Devices devices;
    private final InstantSource clock;
    private final Consumer<InMemoryTun> memoryDevices;

    public LocalEngine(Devices devices, InstantSource clock) {
        this(devices, clock, t -> { });
    }

    /** With {@code memoryDevices} told about every in-memory device created (the demo drives traffic through them). */
    public LocalEngine(Devices devices, InstantSource clock, Consumer<InMemoryTun> memoryDevices) {
        this.devices = devices;
        this.clock = clock;
        this.memoryDevices = memoryDevices;
        Warmup.start(clock); // the app and culvertd live long: compile the hot paths before the first Connect
    }

    /**
     * Removes a kill switch left by a client that crashed (its process is gone): culvertd does this when it starts, as
     * the next clean start of {@code culvert client} does. Returns what was done, or null when there was nothing to do.
     */
    public static String removeStaleKillSwitch() {
        return KillSwitchRules.removeStaleOnHost();
    }

    private TunFactory tunFactory() {
        if (devices == Devices.KERNEL) {
            return LinuxTun.FACTORY;
        }
        return (name, tap, mtu) -> {
            InMemoryTun t = new InMemoryTun(name == null || name.isBlank() || name.equals("tun") || name.equals("tap")
                    ? (tap ? "mtap" : "mtun") : name, tap, mtu);
            memoryDevices.accept(t);
            return t;
        };
    }

    private NetConfig netConfig() {
        return devices == Devices.KERNEL ? new IpCommandNetConfig() : new NoNetConfig();
    }

    @Override
    public ClientHandle startClient(String profileText, Path baseDir, EngineListener listener, CredentialsProvider credentials)
            throws EngineException {
        ClientProfile profile;
        try {
            profile = ClientProfile.from(ClientConfig.from(OvpnFile.parse(profileText), baseDir, false), credentials);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        DnsConfig dns = devices == Devices.KERNEL ? DnsConfig.system() : new DnsConfig(argv -> null, false);
        ClientRunner runner = new ClientRunner(profile, listener, tunFactory(), netConfig(), dns, clock);
        CountDownLatch stopped = new CountDownLatch(1);
        Threads.platform("culvert-client").daemon().start(() -> {
            try {
                runner.run();
            } finally {
                stopped.countDown();
            }
        });
        return new ClientHandle() {
            @Override
            public ConnectionState state() {
                return runner.state();
            }

            @Override
            public ConnectionInfo connectionInfo() {
                return runner.connectionInfo();
            }

            @Override
            public TrafficStats stats() {
                return runner.stats();
            }

            @Override
            public void disconnect() {
                runner.stop();
            }

            @Override
            public boolean awaitStopped(long millis) throws InterruptedException {
                return stopped.await(millis, TimeUnit.MILLISECONDS);
            }
        };
    }

    @Override
    public ServerHandle startServer(String configText, Path baseDir, EngineListener listener) throws EngineException {
        ServerRunner runner;
        ServerConfig cfg;
        try {
            cfg = ServerConfig.from(OvpnFile.parse(configText), baseDir, false);
            runner = devices == Devices.KERNEL
                    ? new ServerRunner(ServerPlans.from(cfg, baseDir), listener, tunFactory(), netConfig(), clock)
                    : ServerRunner.withInMemoryRules(ServerPlans.from(cfg, baseDir), listener, tunFactory(), netConfig(),
                            clock);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EngineException[] failure = new EngineException[1];
        Threads.platform("culvert-server").daemon().start(() -> {
            try {
                runner.run();
            } catch (EngineException e) {
                failure[0] = e;
            } finally {
                stopped.countDown();
            }
        });
        try {
            while (!runner.awaitStarted(50, TimeUnit.MILLISECONDS)) {
                if (stopped.getCount() == 0) {
                    throw failure[0] != null ? failure[0] : new EngineException(ErrorKind.INTERNAL, "server stopped while starting");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runner.stop();
            throw new EngineException(ErrorKind.INTERNAL, "interrupted while starting the server", e);
        }
        return new ServerHandle() {
            @Override
            public String listenAddress() {
                return runner.listening();
            }

            @Override
            public List<InstanceInfo> instances() {
                return runner.instances();
            }

            @Override
            public List<FlowEdge> flows() {
                return runner.flows();
            }

            @Override
            public void kick(int peerId) {
                runner.kick(peerId);
            }

            @Override
            public int pushUpdate(int peerId, String options) throws EngineException {
                try {
                    return runner.pushUpdate(peerId, options);
                } catch (IllegalArgumentException e) {
                    throw new EngineException(ErrorKind.CONFIG_INVALID, "PUSH_UPDATE not sent: " + e.getMessage(), e);
                }
            }

            @Override
            public int refreshClientRoutes(String commonName) {
                return runner.refreshRoutes(commonName);
            }

            @Override
            public List<String> natRules() {
                return runner.natRules();
            }

            @Override
            public io.culvert.engine.api.PathCheck diagnose(String from, String to, boolean probe) throws EngineException {
                return runner.diagnose(from, to, probe);
            }

            @Override
            public void stop() {
                runner.stop();
            }

            @Override
            public boolean awaitStopped(long millis) throws InterruptedException {
                return stopped.await(millis, TimeUnit.MILLISECONDS);
            }
        };
    }
}
