package io.culvert.engine.tun;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/** A throwaway network namespace plus the privilege gate for tests that need one. */
final class NetnsSupport implements AutoCloseable {
    final String name;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    private NetnsSupport(String name) {
        this.name = name;
    }

    /** Skips when not root or without /dev/net/tun, except under {@code CI=true}, where that is a failure. */
    static void requireRootOrFailInCi() {
        String missing = null;
        if (!isRoot()) {
            missing = "netns tests need root";
        } else if (!Files.exists(Path.of(io.culvert.engine.sys.TunFd.CLONE_DEVICE))) {
            missing = "netns tests need " + io.culvert.engine.sys.TunFd.CLONE_DEVICE;
        }
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(missing + " (CI=true, so this is not skipped)");
            }
            Assumptions.abort(missing);
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
        } catch (IOException e) {
            return false;
        }
    }

    static String randomSuffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6);
    }

    static NetnsSupport create() throws IOException {
        NetnsSupport ns = new NetnsSupport("culvert-tun-" + randomSuffix());
        ns.run("ip", "netns", "add", ns.name);
        return ns;
    }

    /** Moves a link from the current namespace into this one. */
    void adopt(String device) throws IOException {
        run("ip", "link", "set", "dev", device, "netns", name);
    }

    NetConfig netConfig() {
        return new IpCommandNetConfig(runner, name);
    }

    Process start(String... command) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }

    String run(String... argv) throws IOException {
        CommandRunner.Result result = runner.run(List.of(argv));
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed: " + result.stderr());
        }
        return result.stdout();
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "del", name);
    }
}
