package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A VPN process (stock openvpn, or Culvert's launcher) running in a {@link Netns}, its output in a log file.
 * Not thread-safe; one test drives it.
 */
public final class OpenvpnProcess implements AutoCloseable {

    /** The line both openvpn and Culvert print once the tunnel is up. */
    public static final String READY = "Initialization Sequence Completed";
    /** Once more for a process that has logged nothing yet when a wait runs out (see {@link #awaitLine}). */
    static final Duration STARTUP_GRACE = Duration.ofSeconds(30);

    private final Netns ns;
    private final Path logFile;
    private final Process process;
    private final String description;

    private OpenvpnProcess(Netns ns, Path workDir, Path logFile, String... argv) {
        this.ns = ns;
        this.logFile = logFile;
        this.description = String.join(" ", argv) + " in " + ns.name();
        try {
            Files.deleteIfExists(logFile);
            Files.createFile(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.process = ns.spawn(workDir, logFile, argv);
    }

    /**
     * Starts the stock peer ({@link NetnsCondition#OPENVPN}) {@code --cd workDir --config config}; logs to
     * {@code workDir/<config-name>.log}.
     */
    public static OpenvpnProcess stock(Netns ns, Path config, Path workDir) {
        Path log = workDir.resolve(config.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".log");
        return new OpenvpnProcess(ns, workDir, log, NetnsCondition.OPENVPN.toString(),
                "--cd", workDir.toString(), "--config", config.toAbsolutePath().toString());
    }

    /** Starts {@code <repo>/culvert client --config config} with working directory {@code workDir}. */
    public static OpenvpnProcess culvertClient(Netns ns, Path config, Path workDir) {
        return new OpenvpnProcess(ns, workDir, workDir.resolve("culvert-client.log"),
                repoRoot().resolve("culvert").toString(), "client", "--config", config.toAbsolutePath().toString());
    }

    /** Starts {@code binary --cd workDir --config config} (a stock openvpn) in {@code ns}, output to {@code logFile}. */
    public static OpenvpnProcess stock(Netns ns, Path binary, Path config, Path workDir, Path logFile) {
        return new OpenvpnProcess(ns, workDir, logFile, binary.toString(), "--cd", workDir.toString(), "--config",
                config.toString());
    }

    /** Starts {@code launcher mode --config config} (Culvert's launcher, mode client or server), output to {@code logFile}. */
    public static OpenvpnProcess culvert(Netns ns, Path launcher, String mode, Path config, Path workDir, Path logFile) {
        return new OpenvpnProcess(ns, workDir, logFile, launcher.toString(), mode, "--config", config.toString());
    }

    /** Starts any command in {@code ns} with working directory {@code workDir}, output to {@code logFile}. */
    public static OpenvpnProcess command(Netns ns, Path workDir, Path logFile, String... argv) {
        return new OpenvpnProcess(ns, workDir, logFile, argv);
    }

    /** Waits for {@link #READY} in the log. */
    public OpenvpnProcess awaitInitialized(Duration timeout) {
        return awaitLine(READY, timeout);
    }

    /**
     * Waits until the log contains {@code text}; fails fast with the log tail if the process exits or time runs out.
     * A process that has not written a single line when time runs out has not started yet (a JVM starved of CPU on a
     * loaded machine): it gets {@link #STARTUP_GRACE} once more, and says so, since what is waited for is measured from
     * its start, not the machine's speed.
     */
    public OpenvpnProcess awaitLine(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean graced = false;
        while (true) {
            if (log().contains(text)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError(description + " exited with " + process.exitValue()
                        + " before printing '" + text + "'; log tail:\n" + logTail(40));
            }
            if (System.nanoTime() > deadline) {
                if (!graced && log().isEmpty()) {
                    graced = true;
                    deadline = System.nanoTime() + STARTUP_GRACE.toNanos();
                    System.out.println(description + ": nothing logged after " + timeout + ", still starting; "
                            + STARTUP_GRACE.toSeconds() + " s more");
                    continue;
                }
                throw new AssertionError(description + ": no '" + text + "' within " + timeout
                        + (graced ? " (and " + STARTUP_GRACE.toSeconds() + " s more to start)" : "")
                        + "; log tail:\n" + logTail(40));
            }
            Pause.millis(100);
        }
    }

    /**
     * Waits until {@code count} lines of the log contain {@code text} (a second {@link #READY} after a reconnect);
     * fails with the log tail if the process exits first or time runs out.
     */
    public OpenvpnProcess awaitLines(String text, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (log().lines().filter(l -> l.contains(text)).count() < count) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(description + ": not " + count + " × '" + text + "' within " + timeout
                        + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; log tail:\n"
                        + logTail(40));
            }
            Pause.millis(100);
        }
        return this;
    }

    /** SIGTERM to the process tree, SIGKILL after 5 s; waits for exit. Idempotent. */
    public void stop() {
        Netns.killTree(process.toHandle());
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public Netns netns() {
        return ns;
    }

    public Path logFile() {
        return logFile;
    }

    /** The whole log so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The repository root: the nearest directory upwards from the working directory holding {@code mvnw}. */
    public static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("engine"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root (with mvnw) not found above " + Path.of("").toAbsolutePath());
    }

    @Override
    public String toString() {
        return description;
    }
}
