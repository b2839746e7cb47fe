package io.culvert.engine.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place Culvert runs a child process: an argument vector (never a shell), standard input written or closed at
 * once, standard output and error drained on their own threads (so no pipe fills) and kept up to a cap (the head and the
 * tail, the middle cut and marked), and a timeout that kills the process and every process it started. Errors name the
 * program and never quote its output. A non-zero exit is reported in the {@link Result}, not thrown. Blocking; each
 * {@link Command} is immutable and may be run from any thread.
 *
 * <pre>{@code
 * Processes.Result r = Processes.command(List.of("nft", "-f", "-")).input(script).mergeErrors().run();
 * }</pre>
 */
public final class Processes {
    /** How long a command may run unless it says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How much of each output stream is kept unless a command says otherwise. */
    public static final int DEFAULT_OUTPUT_CAP = 64 * 1024;
    /** A line handed to a {@link Command#lines} consumer is cut at this many bytes. */
    static final int MAX_LINE = 4096;
    private static final Pattern ERRNO = Pattern.compile("error[=:] ?\\d+,? \\(?([^()]+?)\\)?\\s*$");

    private Processes() {}

    /** A command for {@code argv} (program first) with the defaults: inherited environment, 10 s, 64 KiB per stream. */
    public static Command command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no program to run");
        }
        return new Command(List.copyOf(argv), argv.getFirst(), Map.of(), false, null, DEFAULT_TIMEOUT, DEFAULT_OUTPUT_CAP,
                false, null);
    }

    /** A command for {@code program} and its arguments. */
    public static Command command(String... argv) {
        return command(List.of(argv));
    }

    /**
     * What to run and how. {@code name} is what errors call it (the program unless {@link #named} says otherwise);
     * {@code emptyEnv} starts from an empty environment instead of this process's; {@code input} goes to standard input
     * (null: closed at once); {@code lines} sees every line of standard output (cut at {@value #MAX_LINE} bytes) as it
     * arrives, also beyond the cap.
     */
    public record Command(List<String> argv, String name, Map<String, String> env, boolean emptyEnv, String input,
            Duration timeout, int outputCap, boolean errorsMerged, Consumer<String> lines) {

        /** Errors call the command {@code name} instead of the program's path. */
        public Command named(String name) {
            return new Command(argv, name, env, emptyEnv, input, timeout, outputCap, errorsMerged, lines);
        }

        /** Adds {@code vars} to the environment. */
        public Command env(Map<String, String> vars) {
            Map<String, String> all = new LinkedHashMap<>(env);
            all.putAll(vars);
            return new Command(argv, name, Map.copyOf(all), emptyEnv, input, timeout, outputCap, errorsMerged, lines);
        }

        /** Starts from an empty environment: only what {@link #env} adds. */
        public Command cleanEnv() {
            return new Command(argv, name, env, true, input, timeout, outputCap, errorsMerged, lines);
        }

        /** Writes {@code text} (UTF-8) to standard input, then closes it. */
        public Command input(String text) {
            return new Command(argv, name, env, emptyEnv, text, timeout, outputCap, errorsMerged, lines);
        }

        /** Kills the process and its descendants once {@code limit} has passed. */
        public Command timeout(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + limit);
            }
            return new Command(argv, name, env, emptyEnv, input, limit, outputCap, errorsMerged, lines);
        }

        /** Keeps at most {@code bytes} of each stream: the first and the last half, the middle cut and marked. */
        public Command outputCap(int bytes) {
            if (bytes < 2) {
                throw new IllegalArgumentException("output cap must be at least 2 bytes: " + bytes);
            }
            return new Command(argv, name, env, emptyEnv, input, timeout, bytes, errorsMerged, lines);
        }

        /** Standard error goes into standard output (OpenVPN's scripts, nft's messages). */
        public Command mergeErrors() {
            return new Command(argv, name, env, emptyEnv, input, timeout, outputCap, true, lines);
        }

        /**
         * Hands every line of standard output to {@code sink} as it arrives, on the reading thread. {@link #run} then
         * returns when the process exits without waiting for its output to end (a daemon it started may hold it open),
         * so the sink may see lines after it returned, and {@link Result#out} may lack them.
         */
        public Command lines(Consumer<String> sink) {
            return new Command(argv, name, env, emptyEnv, input, timeout, outputCap, errorsMerged, sink);
        }

        /**
         * Runs the command to its end. Throws {@link TimedOut} after killing it when the timeout passes, and an
         * {@link IOException} naming the command when it cannot start or this thread is interrupted (it is killed then
         * too, and the interrupt flag stays set).
         */
        public Result run() throws IOException {
            return Processes.run(this);
        }
    }

    /** How a command ended: its exit status and what it wrote (UTF-8, each within the cap; error empty when merged). */
    public record Result(int exitCode, String out, String err) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** The command did not finish in time; it and its descendants were killed. */
    public static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    private static Result run(Command c) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(c.argv()).redirectErrorStream(c.errorsMerged());
        if (c.emptyEnv()) {
            pb.environment().clear();
        }
        pb.environment().putAll(c.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + c.name() + ": " + reason(e), e);
        }
        Capture out = new Capture(c.outputCap(), c.lines());
        Capture err = new Capture(c.errorsMerged() ? 0 : c.outputCap(), null);
        Threads.virtual("culvert-proc-out").start(() -> out.drain(p.getInputStream()));
        Threads.virtual("culvert-proc-err").start(() -> err.drain(p.getErrorStream()));
        Threads.virtual("culvert-proc-in").start(() -> feed(p.getOutputStream(), c.input()));
        try {
            if (!p.waitFor(c.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                killTree(p);
                throw new TimedOut(c.name() + " did not finish within " + describe(c.timeout()));
            }
            // The streams end with the process unless a descendant still holds them open; then keep what came in time.
            // A line sink follows standard output on its own (a script's daemon may keep it open for good).
            if (c.lines() == null) {
                out.await(c.timeout());
            }
            err.await(c.timeout());
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + c.name(), e);
        }
        return new Result(p.exitValue(), out.text(), err.text());
    }

    private static void feed(OutputStream stdin, String input) {
        try (stdin) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The process closed its input early (or died): what it does with that shows in its exit status.
        }
    }

    /** Kills the process and everything it started, the children first so none is left reparented. */
    private static void killTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** The system's reason from the JDK's "Cannot run program …" message ("error=2, No such file …" or "error: 2 (…)"). */
    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        Matcher errno = ERRNO.matcher(m);
        return errno.find() ? errno.group(1) : m;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** One output stream, drained to its end: the first half of the cap, a ring of the last half, and lines. */
    private static final class Capture {
        private final int headCap;
        private final int tailCap;
        private final Consumer<String> lines;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final byte[] tail;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final CountDownLatch done = new CountDownLatch(1);
        private long total;
        private long tailWritten;

        Capture(int cap, Consumer<String> lines) {
            this.headCap = cap - cap / 2;
            this.tailCap = cap / 2;
            this.tail = new byte[tailCap];
            this.lines = lines;
        }

        void drain(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    keep(buf, n);
                }
            } catch (IOException e) {
                // The stream broke (the process was killed): keep what came.
            } finally {
                endLine();
                done.countDown();
            }
        }

        private void keep(byte[] buf, int n) {
            synchronized (this) {
                for (int i = 0; i < n; i++) {
                    if (total < headCap) {
                        head.write(buf[i]);
                    } else if (tailCap > 0) {
                        tail[(int) (tailWritten++ % tailCap)] = buf[i];
                    }
                    total++;
                }
            }
            if (lines != null) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        endLine();
                    } else if (line.size() < MAX_LINE) {
                        line.write(buf[i]);
                    }
                }
            }
        }

        private void endLine() {
            if (lines != null && line.size() > 0) {
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                lines.accept(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
            }
        }

        void await(Duration limit) throws InterruptedException {
            done.await(limit.toNanos(), TimeUnit.NANOSECONDS);
        }

        synchronized String text() {
            byte[] h = head.toByteArray();
            if (tailWritten <= tailCap) {
                byte[] all = new byte[h.length + (int) tailWritten];
                System.arraycopy(h, 0, all, 0, h.length);
                System.arraycopy(tail, 0, all, h.length, (int) tailWritten);
                return new String(all, StandardCharsets.UTF_8);
            }
            byte[] t = new byte[tailCap];
            int start = (int) (tailWritten % tailCap);
            System.arraycopy(tail, start, t, 0, tailCap - start);
            System.arraycopy(tail, 0, t, tailCap - start, start);
            long cut = total - h.length - tailCap;
            return new String(h, StandardCharsets.UTF_8) + "\n[… " + cut + " bytes cut …]\n" + new String(t, StandardCharsets.UTF_8);
        }
    }
}
