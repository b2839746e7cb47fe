package io.culvert.engine.sys;

import io.culvert.engine.common.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@link PacketFilter} through the {@code nft} command (the script on its standard input, so one transaction) and
 * {@code /proc/sys}. Needs CAP_NET_ADMIN. Thread-safe: every call is its own process or file write.
 */
public final class LinuxPacketFilter implements PacketFilter {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** At most this much of nft's output is kept for an error message or a listing (its head and tail). */
    private static final int MAX_OUTPUT = 64 * 1024;
    private static final Pattern SYSCTL_KEY = Pattern.compile("[a-z0-9_]+(/[a-z0-9_.-]+)+");
    private final String nft;

    /** Uses {@code nft} from the PATH. */
    public LinuxPacketFilter() {
        this("nft");
    }

    LinuxPacketFilter(String nft) {
        this.nft = nft;
    }

    @Override
    public void apply(String script) throws IOException {
        Result r = run(script, nft, "-f", "-");
        if (r.exit() != 0) {
            throw new IOException("nft refused the rules (exit " + r.exit() + "): " + r.output().strip());
        }
    }

    @Override
    public String table(String family, String name) throws IOException {
        Result r = run(null, nft, "list", "table", family, name);
        if (r.exit() == 0) {
            return r.output();
        }
        if (r.output().contains("No such file or directory")) {
            return null;
        }
        throw new IOException("nft list table " + family + " " + name + " failed (exit " + r.exit() + "): "
                + r.output().strip());
    }

    @Override
    public String sysctl(String key) throws IOException {
        return Files.readString(path(key), StandardCharsets.US_ASCII).strip();
    }

    @Override
    public void sysctl(String key, String value) throws IOException {
        Files.writeString(path(key), value + "\n", StandardCharsets.US_ASCII);
    }

    private static Path path(String key) {
        if (!SYSCTL_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a sysctl key: " + key);
        }
        return Path.of("/proc/sys").resolve(key);
    }

    private record Result(int exit, String output) {}

    private static Result run(String input, String... command) throws IOException {
        Processes.Result r = Processes.command(command).input(input).mergeErrors().outputCap(MAX_OUTPUT)
                .timeout(TIMEOUT).run();
        return new Result(r.exitCode(), r.out());
    }
}
