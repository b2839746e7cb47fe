package io.culvert.engine.server;

import io.culvert.engine.client.ClientProfile;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.NoNetConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many in-process Culvert clients (in-memory devices) against one Culvert server running alone in a child JVM
 * ({@link ScaleServerMain}), over loopback UDP, so the server's heap can be measured without the clients in it.
 * The server config is a stock one: {@code server 10.8.0.0 255.255.0.0}, topology subnet, tls-crypt,
 * {@code duplicate-cn} (every client shows the same certificate). Not thread-safe; one test drives it.
 */
public final class ScaleRig implements AutoCloseable {
    /** The server's tunnel address. */
    public static final String SERVER_ADDR = "10.8.0.1";
    private static final Pattern STATS = Pattern.compile(
            "STATS instances=(\\d+) created=(\\d+) echoRequests=(\\d+) echoSources=(\\d+) otherPackets=(\\d+) heapUsed=(\\d+) rss=(-?\\d+)");

    /** One reading of the server: instance counts, what its device saw, its heap after full GC and its RSS. */
    public record ServerStats(int instances, long created, long echoRequests, int echoSources, long otherPackets,
            long heapUsed, long rss) {}

    private final Process server;
    private final OutputStream serverIn;
    private final BlockingQueue<String> serverLines = new LinkedBlockingQueue<>();
    private final StringBuilder serverLog = new StringBuilder();
    private final List<Long> arrivals = new ArrayList<>(); // guarded by serverLog: when each line of it was read
    private final List<ClientRunner> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<InMemoryTun> devices = new ArrayList<>(); // guarded by itself, like owners
    private final List<Object> owners = new ArrayList<>(); // per slot: the token of the runner that may set its device
    private ClientProfile profile;
    private int sequence;

    private ScaleRig(Process server) {
        this.server = server;
        this.serverIn = server.getOutputStream();
        Thread.ofPlatform().daemon().name("scale-server-out").start(this::pumpServerOutput);
    }

    /** Creates a PKI and configs in {@code dir}, starts the server JVM and waits until it listens. */
    public static ScaleRig start(Path dir, int maxClients) throws Exception {
        return start(dir, maxClients, "10.8.0.0 255.255.0.0", TestPki.create(dir.resolve("pki")));
    }

    /**
     * As {@link #start(Path, int)} with the pool {@code server NETWORK MASK} ({@code "10.9.0.0 255.255.255.0"}), the
     * certificates of {@code pki} and the server's extra arguments ({@code --fleet URL NAME PASSWORD_FILE STATE_DIR},
     * see {@link ScaleServerMain}).
     */
    public static ScaleRig start(Path dir, int maxClients, String pool, TestPki pki, String... serverArgs) throws Exception {
        Files.createDirectories(dir);
        Path serverConf = dir.resolve("server.conf");
        Files.writeString(serverConf, """
                port 1194
                proto udp
                dev tun
                topology subnet
                server %s
                duplicate-cn
                max-clients %d
                keepalive 10 60
                ca %s
                cert %s
                key %s
                dh none
                tls-crypt %s
                data-ciphers AES-256-GCM
                verb 1
                """.formatted(pool, maxClients, pki.ca(), pki.serverCert(), pki.serverKey(), pki.tcKey()));
        String java = ProcessHandle.current().info().command().orElse("java");
        // The warm-up's throwaway keys are live while it runs and would blur the heap per client: the child does what
        // this JVM does (off under the test suite, on in the benchmarks).
        String warmup = "-Dculvert.warmup=" + System.getProperty("culvert.warmup", "on");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", warmup, "-cp",
                System.getProperty("java.class.path"), ScaleServerMain.class.getName(), serverConf.toString()));
        cmd.addAll(List.of(serverArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ScaleRig rig = new ScaleRig(p);
        try {
            String port = rig.awaitLine("PORT ", Duration.ofSeconds(60)).substring(5).strip();
            Path clientConf = dir.resolve("client.ovpn");
            Files.writeString(clientConf, """
                    client
                    dev tun
                    proto udp
                    remote 127.0.0.1 %s
                    nobind
                    remote-cert-tls server
                    ca %s
                    cert %s
                    key %s
                    tls-crypt %s
                    data-ciphers AES-256-GCM
                    explicit-exit-notify 1
                    verb 1
                    """.formatted(port, pki.ca(), pki.clientCert(), pki.clientKey(), pki.tcKey()));
            rig.profile = ClientProfile.from(ClientConfig.load(clientConf, false), prompt -> Optional.empty());
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    /** The server JVM's process id (for jcmd and the like). */
    public long serverPid() {
        return server.pid();
    }

    /** Clients started so far. */
    public int clients() {
        return clients.size();
    }

    /**
     * Starts {@code count} more clients, {@code perSecond} a second at most, and waits until every client is
     * connected; throws naming the ones that are not.
     */
    public void connect(int count, int perSecond, Duration timeout) throws InterruptedException {
        int first = clients.size();
        long gapNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += gapNanos;
            startClient();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = first; i < clients.size(); i++) {
            while (clients.get(i).connectionInfo() == null || device(i) == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(notConnected() + " of " + clients.size() + " clients not connected within " + timeout);
                }
                Thread.sleep(20);
            }
        }
    }

    private String notConnected() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).connectionInfo() == null) {
                out.add(i + ":" + clients.get(i).state());
            }
        }
        return out.size() + " " + out.subList(0, Math.min(20, out.size()));
    }

    private void startClient() {
        clients.add(null);
        threads.add(null);
        synchronized (devices) {
            devices.add(null);
            owners.add(null);
        }
        startClient(clients.size() - 1);
    }

    /** Starts a fresh client in slot {@code index} (its device appears once the tunnel is up). */
    private void startClient(int index) {
        Object owner = new Object();
        synchronized (devices) {
            devices.set(index, null);
            owners.set(index, owner);
        }
        ClientRunner runner = new ClientRunner(profile, e -> { }, (name, tap, mtu) -> {
            InMemoryTun t = new InMemoryTun("c" + index, tap, mtu);
            synchronized (devices) {
                if (owners.get(index) == owner) { // a replaced client that comes up late must not take the slot
                    devices.set(index, t);
                }
            }
            return t;
        }, new NoNetConfig(), InstantSource.system());
        clients.set(index, runner);
        threads.set(index, Thread.ofPlatform().name("scale-client-" + index).stackSize(256 << 10).start(runner::run));
    }

    /**
     * Churn: for {@code duration}, {@code perSecond} times a second a random client leaves (stops, telling the
     * server with explicit-exit-notify) and a fresh one takes its slot; then waits until every slot is connected
     * again. Returns how many clients left and joined; throws naming the slots not connected within the timeout.
     */
    public int churn(Duration duration, int perSecond, Duration timeout) throws InterruptedException {
        long gapNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long end = System.nanoTime() + duration.toNanos();
        long next = System.nanoTime();
        int replaced = 0;
        ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        List<Thread> leaving = new ArrayList<>();
        while (System.nanoTime() < end) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += gapNanos;
            int index = random.nextInt(clients.size());
            ClientRunner old = clients.get(index);
            Thread oldThread = threads.get(index);
            old.stop();
            leaving.add(oldThread);
            startClient(index);
            replaced++;
        }
        for (Thread t : leaving) {
            t.join(5000);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < clients.size(); i++) {
            while (clients.get(i).connectionInfo() == null || device(i) == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(notConnected() + " of " + clients.size() + " clients not connected within " + timeout
                            + " after churn");
                }
                Thread.sleep(20);
            }
        }
        return replaced;
    }

    /** The tunnel address the server gave client {@code index}. */
    public String addressOf(int index) {
        String cidr = clients.get(index).connectionInfo().ipv4();
        return cidr.substring(0, cidr.indexOf('/'));
    }

    /**
     * Every client sends one ICMP echo request to the server's tunnel address through its in-memory device; the
     * server's device answers it. Returns the indexes of the clients whose device did not get back exactly the
     * reply for its own request (byte for byte) within the timeout.
     */
    public List<Integer> pingAll(Duration timeout) throws InterruptedException {
        int seq = ++sequence;
        for (int i = 0; i < clients.size(); i++) {
            device(i).inject(Icmp.echo(addressOf(i), SERVER_ADDR, seq));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            byte[] expected = Icmp.echoReply(SERVER_ADDR, addressOf(i), seq);
            byte[] got;
            do {
                got = device(i).takeWritten(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } while (got != null && !Arrays.equals(expected, got));
            if (got == null) {
                failed.add(i);
            }
        }
        return failed;
    }

    /**
     * Round trip of one ICMP echo through each of the given clients in turn (one at a time, so the times do not
     * queue behind each other): from injecting the request into the client's device to its reply coming out of
     * it. Returns nanoseconds per client in the order given, {@code -1} for a client that got no reply in time.
     */
    public long[] echoRoundTrips(List<Integer> indexes, Duration timeout) throws InterruptedException {
        long[] nanos = new long[indexes.size()];
        for (int k = 0; k < indexes.size(); k++) {
            int i = indexes.get(k);
            int seq = ++sequence;
            byte[] expected = Icmp.echoReply(SERVER_ADDR, addressOf(i), seq);
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            device(i).inject(Icmp.echo(addressOf(i), SERVER_ADDR, seq));
            byte[] got;
            do {
                got = device(i).takeWritten(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } while (got != null && !Arrays.equals(expected, got));
            nanos[k] = got == null ? -1 : System.nanoTime() - start;
        }
        return nanos;
    }

    /** Clients whose session is up right now (the runner reports connection details and its device exists). */
    public int connectedNow() {
        int n = 0;
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).connectionInfo() != null && device(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** CPU time the server JVM has used so far, from the operating system's account of the process. */
    public Duration serverCpu() {
        return server.toHandle().info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for server"));
    }

    private InMemoryTun device(int index) {
        synchronized (devices) {
            return devices.get(index);
        }
    }

    /** Asks the server JVM for a reading (it runs full collections first). */
    public ServerStats serverStats() throws IOException, InterruptedException {
        serverIn.write("stats\n".getBytes(StandardCharsets.US_ASCII));
        serverIn.flush();
        String line = awaitLine("STATS ", Duration.ofSeconds(60));
        Matcher m = STATS.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("unexpected stats line: " + line);
        }
        return new ServerStats(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Integer.parseInt(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)));
    }

    /** Stops every client, then the server JVM (forcibly if it does not quit in time). */
    @Override
    public void close() throws InterruptedException {
        for (ClientRunner c : clients) {
            c.stop();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
        try {
            serverIn.write("quit\n".getBytes(StandardCharsets.US_ASCII));
            serverIn.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!server.waitFor(15, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void pumpServerOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (serverLog) {
                    serverLog.append(line).append('\n');
                    arrivals.add(System.nanoTime());
                    serverLog.notifyAll();
                }
                serverLines.add(line);
            }
        } catch (IOException e) {
            serverLines.add("EOF " + e.getMessage());
        }
    }

    private String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = serverLines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.startsWith("FAILED")) {
                throw new AssertionError("server: no '" + prefix + "' (alive=" + server.isAlive() + "):\n" + serverLog());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Waits for the first line of the server's output after line {@code fromLine} (0-based) that contains {@code text};
     * returns the {@link System#nanoTime()} at which it was read, or -1 when none came within {@code timeout}.
     */
    public long awaitOutput(String text, int fromLine, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (serverLog) {
            while (true) {
                String[] lines = serverLog.toString().split("\n", -1);
                for (int i = fromLine; i < Math.min(lines.length, arrivals.size()); i++) {
                    if (lines[i].contains(text)) {
                        return arrivals.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                serverLog.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Lines the server has written so far. */
    public int outputLines() {
        synchronized (serverLog) {
            return arrivals.size();
        }
    }

    public String serverLog() {
        synchronized (serverLog) {
            return serverLog.toString();
        }
    }
}
