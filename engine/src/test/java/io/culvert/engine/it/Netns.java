package io.culvert.engine.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A network namespace named {@code cvt-<label>-<pid>-<rand>} that owns the processes started in it.
 * {@link #close()} kills them and deletes the namespace; a JVM shutdown hook closes whatever a test left open.
 * Thread-safe.
 */
public final class Netns implements AutoCloseable {

    /** Prefix of every namespace the harness creates. */
    public static final String PREFIX = "cvt-";
    private static final Pattern OWNED = Pattern.compile("^cvt-.*-(\\d+)-[0-9a-f]+$");
    private static final Duration STALE_UNOWNED = Duration.ofMinutes(10);
    private static final Set<Netns> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Netns::close), "netns-cleanup"));
    }

    private final String name;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private Netns(String name) {
        this.name = name;
    }

    /** Removes stale {@code cvt-} namespaces, then creates a fresh one with {@code lo} up. */
    public static Netns create(String label) {
        removeStale();
        String name = PREFIX + label + "-" + ProcessHandle.current().pid() + "-" + randomHex(3);
        host("ip", "netns", "add", name).orThrow("ip netns add " + name);
        Netns ns = new Netns(name);
        LIVE.add(ns);
        try {
            ns.exec(Duration.ofSeconds(10), "ip", "link", "set", "lo", "up").orThrow("lo up in " + name);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Joins two namespaces with a veth pair, assigns the addresses (CIDR notation) and brings both ends up. */
    public static VethLink link(Netns a, String cidrA, Netns b, String cidrB) {
        String base = "cv" + randomHex(4); // 10 chars + "a"/"b": well under IFNAMSIZ
        VethLink link = new VethLink(base + "a", cidrA, base + "b", cidrB);
        host("ip", "link", "add", link.nameA(), "netns", a.name, "type", "veth",
                "peer", "name", link.nameB(), "netns", b.name).orThrow("veth " + base);
        Duration t = Duration.ofSeconds(10);
        a.exec(t, "ip", "addr", "add", cidrA, "dev", link.nameA()).orThrow("addr " + cidrA);
        b.exec(t, "ip", "addr", "add", cidrB, "dev", link.nameB()).orThrow("addr " + cidrB);
        a.exec(t, "ip", "link", "set", link.nameA(), "up").orThrow("up " + link.nameA());
        b.exec(t, "ip", "link", "set", link.nameB(), "up").orThrow("up " + link.nameB());
        return link;
    }

    /** Joins two namespaces on 10.201.1.0/24: A is .1, B is .2. */
    public static VethLink link(Netns a, Netns b) {
        return link(a, "10.201.1.1/24", b, "10.201.1.2/24");
    }

    public String name() {
        return name;
    }

    /** Starts {@code cmd} in this namespace with stdout and stderr appended to {@code logFile}. */
    public Process spawn(Path logFile, String... cmd) {
        return spawn(null, logFile, cmd);
    }

    /** Like {@link #spawn(Path, String...)} with the given working directory ({@code null}: inherit). */
    public Process spawn(Path workDir, Path logFile, String... cmd) {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        ProcessBuilder pb = new ProcessBuilder(inNs(cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        try {
            Process p = pb.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
        }
    }

    /** Runs {@code cmd} in this namespace to completion; on timeout kills it and reports exit code -1. */
    public ExecResult exec(Duration timeout, String... cmd) {
        return run(timeout, inNs(cmd));
    }

    /**
     * Pings {@code addr} from this namespace: {@code ping -c count -i 0.2 -W 2 -w 5+count}. The deadline makes ping wait
     * for every reply (up to 5 s more than it takes to send them) instead of only twice the slowest round trip after
     * its last request, so a reply delayed on a loaded machine is counted and only a packet never delivered is loss.
     */
    public PingResult ping(String addr, int count) {
        return ping(addr, count, new String[0]);
    }

    /** As {@link #ping(String, int)}, with more ping options before the address ({@code -6}, {@code -s 1200} …). */
    public PingResult ping(String addr, int count, String... options) {
        List<String> cmd = new ArrayList<>(List.of("ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "2",
                "-w", Integer.toString(5 + count)));
        cmd.addAll(List.of(options));
        cmd.add(addr);
        ExecResult r = exec(Duration.ofSeconds(10 + count), cmd.toArray(String[]::new));
        return PingResult.parse(r.output(), count);
    }

    /** Kills every process spawned here (whole trees, SIGTERM then SIGKILL after 5 s), then deletes the namespace. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        processes.forEach(p -> killTree(p.toHandle()));
        killAllIn(name);
        host("ip", "netns", "del", name);
        LIVE.remove(this);
    }

    /** True while {@code ip netns list} shows a namespace of this name. */
    public static boolean exists(String name) {
        return listNamespaces().contains(name);
    }

    /** Names of all namespaces, from {@code ip netns list}. */
    public static List<String> listNamespaces() {
        List<String> names = new ArrayList<>();
        for (String line : host("ip", "netns", "list").output().split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                names.add(trimmed.split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Deletes {@code cvt-} namespaces whose creating process is gone (or, if unparseable, older than 10 min). */
    static synchronized void removeStale() {
        for (String ns : listNamespaces()) {
            if (ns.startsWith(PREFIX) && isStale(ns)) {
                killAllIn(ns);
                host("ip", "netns", "del", ns);
            }
        }
    }

    private static boolean isStale(String ns) {
        Matcher m = OWNED.matcher(ns);
        if (m.matches()) {
            return ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
        }
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(Path.of("/run/netns", ns)).toMillis();
            return age > STALE_UNOWNED.toMillis();
        } catch (IOException e) {
            return false;
        }
    }

    static void killTree(ProcessHandle root) {
        List<ProcessHandle> all = Stream.concat(root.descendants(), Stream.of(root)).toList();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception timeoutOrInterrupt) {
                h.destroyForcibly();
            }
        }
    }

    private static void killAllIn(String ns) {
        for (String pid : host("ip", "netns", "pids", ns).output().split("\\s+")) {
            if (!pid.isBlank() && pid.chars().allMatch(Character::isDigit)) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(Netns::killTree);
            }
        }
    }

    private String[] inNs(String... cmd) {
        String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return full;
    }

    static ExecResult host(String... cmd) {
        return run(Duration.ofSeconds(20), cmd);
    }

    static ExecResult run(Duration timeout, String... cmd) {
        Path out = null;
        try {
            out = Files.createTempFile("cvt-exec", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                killTree(p.toHandle());
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return done ? new ExecResult(p.exitValue(), text)
                    : new ExecResult(-1, text + "\n[timed out after " + timeout + "]");
        } catch (IOException e) {
            return new ExecResult(-1, "cannot run " + String.join(" ", cmd) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // temp file; the OS cleans /tmp eventually
                }
            }
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return name;
    }
}
