package io.culvert.engine.server;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.fleet.FleetAgent;
import io.culvert.engine.fleet.FleetOptions;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.tun.NoNetConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A Culvert server alone in its JVM, for measuring what it retains: {@code ScaleServerMain <server.conf>} builds
 * the plan from a stock server config exactly as {@code culvert server} does, but listens on 127.0.0.1 (port
 * chosen by the kernel) with an {@link EchoDevice} instead of a kernel device. Prints {@code PORT n}, then answers
 * stdin lines (with {@code --fleet URL NAME PASSWORD_FILE STATE_DIR} after the config it first joins that fleet as
 * {@code culvert server --fleet} does, logging the fleet agent's lines at INFO): {@code stats} prints {@code STATS instances=… created=… echoRequests=… echoSources=… heapUsed=…
 * rss=…} (heap measured after repeated full collections), {@code quit} stops the server and exits.
 */
public final class ScaleServerMain {
    private ScaleServerMain() {}

    public static void main(String[] args) throws Exception {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path config = Path.of(args[0]).toAbsolutePath();
        ServerPlan p = ServerPlans.from(ServerConfig.load(config, false), config.getParent());
        FleetAgent agent = null;
        if (args.length == 6 && args[1].equals("--fleet")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.culvert.engine.fleet")).setLevel(ch.qos.logback.classic.Level.INFO);
            agent = FleetAgent.join(new FleetOptions(args[2], DatabaseLogin.fromFile("culvert", Path.of(args[4])), args[3],
                    Path.of(args[5]), FleetOptions.DEFAULT_MAX_AGE, false), ServerConfig.load(config, false), InstantSource.system());
        }
        ServerPlan built = ServerPlan.builder(p.settings(), new InetSocketAddress("127.0.0.1", 0), p.admission())
                .devName(p.devName()).deviceSetup(p.deviceSetup()).clientToClient(p.clientToClient())
                .subnetBroadcast(p.subnetBroadcast()).maxClients(p.maxClients()).duplicateCn(p.duplicateCn())
                .build();
        ServerPlan plan = agent == null ? built : agent.apply(built);
        EchoDevice device = new EchoDevice("scale0", p.settings().tunMtu());
        ServerRunner runner = new ServerRunner(plan, e -> { }, (name, tap, mtu) -> device, new NoNetConfig(), InstantSource.system());
        Thread serverThread = Thread.ofPlatform().name("scale-server").start(() -> {
            try {
                runner.run();
            } catch (EngineException e) {
                System.out.println("FAILED " + e.getMessage());
            }
        });
        if (!runner.awaitStarted(30, TimeUnit.SECONDS)) {
            System.out.println("FAILED server did not start");
            System.exit(1);
        }
        if (agent != null) {
            agent.start(() -> runner);
        }
        System.out.println("PORT " + runner.boundAddress().getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.strip()) {
                case "stats" -> {
                    long heap = heapAfterFullGc();
                    System.out.printf("STATS instances=%d created=%d echoRequests=%d echoSources=%d otherPackets=%d heapUsed=%d rss=%d%n",
                            runner.instances().size(), runner.instancesCreated(), device.requests(), device.distinctSources(),
                            device.otherPackets(), heap, rssBytes());
                    System.out.flush();
                }
                case "quit" -> {
                    if (agent != null) {
                        agent.close();
                    }
                    runner.stop();
                    serverThread.join(10_000);
                    System.out.println("BYE");
                    System.out.flush();
                    System.exit(0);
                }
                default -> { }
            }
        }
        runner.stop();
    }

    /** Used heap after full collections (SerialGC: each System.gc() is a full, compacting one), once it stops shrinking. */
    private static long heapAfterFullGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static long rssBytes() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
