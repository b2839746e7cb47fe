package io.culvert.engine.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs one {@link FuzzTarget} under the Jazzer driver (libFuzzer plus Jazzer's bytecode instrumentation) in a
 * child JVM for a fixed time, and reads back what it did: executions, edges covered, features, corpus size and
 * the crashing inputs it wrote. Used by {@link BoundedFuzzTest} (a short run of every target in CI) and, through
 * {@link #main}, by {@code engine/bench/fuzz-long.sh} for long runs. Stateless; each call starts its own process.
 */
public final class FuzzRun {
    /** A libFuzzer status line ({@code #N NEW|REDUCE|pulse|DONE cov: C ft: F corp: K/...}); the last one counts. */
    private static final Pattern PROGRESS = Pattern.compile("^#(\\d+)\\s+\\S+\\s+cov: (\\d+) ft: (\\d+) corp: (\\d+)/");
    private static final int TAIL_LINES = 60;

    /**
     * What one run did.
     *
     * @param exitCode the driver's exit code (0: time budget used up without a finding)
     * @param executions inputs run, seeds included
     * @param edges instrumented branch edges covered ({@code cov})
     * @param features libFuzzer features ({@code ft}: edges with hit-count buckets, compare values)
     * @param corpusSize inputs in the corpus at the end
     * @param crashes inputs the driver wrote for findings (crashes, timeouts, out-of-memory)
     * @param log the driver's whole output
     * @param tail its last lines, for failure messages
     */
    public record Result(int exitCode, long executions, int edges, int features, int corpusSize, List<Path> crashes,
            Path log, String tail) {
        public boolean clean() {
            return exitCode == 0 && crashes.isEmpty();
        }

        public String summary(FuzzTarget target, long seconds) {
            return String.format("%-16s %4d s  %,12d execs  cov %5d edges  ft %6d features  corpus %5d  crashes %d%s",
                    target.dirName(), seconds, executions, edges, features, corpusSize, crashes.size(),
                    exitCode == 0 ? "" : "  (exit " + exitCode + ")");
        }
    }

    private FuzzRun() {}

    /**
     * Fuzzes {@code target} for {@code seconds}, starting from its committed seeds plus whatever is already in
     * {@code workDir/corpus} (new inputs go there). Findings go to {@code workDir/findings}.
     *
     * @param engineDir the engine module (its {@code src/test/resources/fuzz} holds the seeds)
     * @param buildDir a folder holding {@code classes}, {@code test-classes} and {@code test-classpath.txt}
     */
    public static Result run(FuzzTarget target, int seconds, Path engineDir, Path buildDir, Path workDir)
            throws IOException, InterruptedException {
        return run(target.className(), target.includes(), target.seedDir(engineDir), seconds, buildDir, workDir);
    }

    /** As {@link #run(FuzzTarget, int, Path, Path, Path)} for any target class and seed folder. */
    public static Result run(String className, String includes, Path seeds, int seconds, Path buildDir, Path workDir)
            throws IOException, InterruptedException {
        Path corpus = Files.createDirectories(workDir.resolve("corpus"));
        Path findings = Files.createDirectories(workDir.resolve("findings"));
        Path log = workDir.resolve("jazzer.log");
        if (!Files.isDirectory(seeds)) {
            throw new IOException("no seed corpus at " + seeds);
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Xss4m", "-XX:+UseSerialGC", "-XX:+EnableDynamicAgentLoading",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath(buildDir),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + className,
                "--instrumentation_includes=" + includes,
                "--reproducer_path=" + findings,
                "-artifact_prefix=" + findings + "/",
                "-max_total_time=" + seconds,
                // One input may take this long before it counts as a hang (a finding).
                "-timeout=20",
                // The JVM heap (-Xmx) bounds memory; an OutOfMemoryError in the target is a finding.
                "-rss_limit_mb=0",
                "-print_final_stats=1"));
        // Extra driver flags for long runs, e.g. -Dculvert.fuzz.args=--keep_going=50 to go on past findings.
        String extra = System.getProperty("culvert.fuzz.args", "").strip();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.add(corpus.toString());
        cmd.add(seeds.toString());
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        // The driver stops itself at max_total_time; the margin covers JVM start and corpus loading.
        if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        return read(p.exitValue(), log, findings, corpus);
    }

    private static Result read(int exit, Path log, Path findings, Path corpus) throws IOException {
        long execs = 0;
        int edges = 0;
        int features = 0;
        int corp = 0;
        Deque<String> tail = new ArrayDeque<>();
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = PROGRESS.matcher(line);
                if (m.find()) {
                    execs = Long.parseLong(m.group(1));
                    edges = Integer.parseInt(m.group(2));
                    features = Integer.parseInt(m.group(3));
                    corp = Integer.parseInt(m.group(4));
                }
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }
        List<Path> crashes;
        try (Stream<Path> s = Files.list(findings)) {
            // slow-unit files only report the slowest input (often the first, while classes are instrumented).
            crashes = s.filter(f -> f.getFileName().toString().matches("(crash|timeout|oom|leak)-.*"))
                    .sorted().toList();
        }
        if (corp == 0) {
            try (Stream<Path> s = Files.list(corpus)) {
                corp = (int) s.count();
            }
        }
        return new Result(exit, execs, edges, features, corp, crashes, log, String.join("\n", tail));
    }

    /** {@code classes}, {@code test-classes} and the test dependencies listed in {@code test-classpath.txt}. */
    static String classpath(Path buildDir) {
        try {
            String deps = Files.readString(buildDir.resolve("test-classpath.txt")).strip();
            return buildDir.resolve("test-classes") + java.io.File.pathSeparator + buildDir.resolve("classes")
                    + java.io.File.pathSeparator + deps;
        } catch (IOException e) {
            throw new UncheckedIOException("run the build first (mvn test-compile writes test-classpath.txt)", e);
        }
    }

    /**
     * {@code FuzzRun TARGET SECONDS [ENGINE_DIR [BUILD_DIR [WORK_DIR]]]}: one run, its driver output streamed to
     * {@code WORK_DIR/jazzer.log}, then a summary line. Exits 1 on a finding. Defaults: {@code engine},
     * {@code engine/target}, {@code engine/target/fuzz/NAME}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: FuzzRun TARGET SECONDS [ENGINE_DIR [BUILD_DIR [WORK_DIR]]]; targets: "
                    + List.of(FuzzTarget.values()));
            System.exit(2);
        }
        FuzzTarget target = FuzzTarget.byName(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Path engine = Path.of(args.length > 2 ? args[2] : "engine").toAbsolutePath();
        Path build = args.length > 3 ? Path.of(args[3]).toAbsolutePath() : engine.resolve("target");
        Path work = args.length > 4 ? Path.of(args[4]).toAbsolutePath()
                : engine.resolve("target/fuzz").resolve(target.dirName());
        System.out.println("fuzzing " + target.dirName() + " for " + seconds + " s; driver log " + work.resolve("jazzer.log"));
        Result r = run(target, seconds, engine, build, work);
        if (!r.clean()) {
            System.out.println(r.tail());
            r.crashes().forEach(c -> System.out.println("finding: " + c));
        }
        System.out.println(r.summary(target, seconds));
        System.exit(r.clean() ? 0 : 1);
    }
}
