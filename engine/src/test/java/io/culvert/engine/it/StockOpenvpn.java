package io.culvert.engine.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The stock openvpn binaries the interop tests run against, named by environment variables:
 * {@value #PEER_VARIABLE} is the peer of the whole suite (default {@code /usr/sbin/openvpn}, Debian's 2.6), and
 * {@value #OPENVPN_27_VARIABLE} the OpenVPN 2.7 binary for tests that need 2.7 itself ({@link Openvpn27Test}),
 * by default {@code build.sh}'s output when it exists. Thread-safe; versions are asked once per binary.
 */
public final class StockOpenvpn {

    /** Names the stock openvpn every interop test runs as its peer. */
    public static final String PEER_VARIABLE = "CULVERT_STOCK_OPENVPN";
    /** Names an OpenVPN 2.7 binary for the tests that need 2.7 ({@link Openvpn27Test}). */
    public static final String OPENVPN_27_VARIABLE = "CULVERT_OPENVPN_27";
    /** Debian's openvpn (2.6), the peer unless {@value #PEER_VARIABLE} names another. */
    static final Path DEBIAN = Path.of("/usr/sbin/openvpn");
    /** Where {@code shared/openvpn/build.sh} installs 2.7.6 unless told otherwise. */
    static final Path BUILT_27 = Path.of("/var/cache/culvert-test/openvpn-2.7.6/sbin/openvpn");
    /** How to get a 2.7 binary, for skip and failure messages. */
    static final String HOW_TO_BUILD = "build it with shared/openvpn/build.sh (prints the binary's path) and set "
            + OPENVPN_27_VARIABLE + " to that path";

    private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();

    private StockOpenvpn() {
    }

    /** The peer binary: {@value #PEER_VARIABLE}, else {@link #DEBIAN}. */
    public static Path peer() {
        return peer(System::getenv);
    }

    static Path peer(Function<String, String> env) {
        return nonBlank(env.apply(PEER_VARIABLE)).map(Path::of).orElse(DEBIAN);
    }

    /**
     * Whether the peer is OpenVPN 2.7 or later, for the few expectations 2.7 changed on purpose (it never compresses
     * what it sends, for one); a test that asks says what 2.7 does instead.
     */
    public static boolean peerIs27OrLater() {
        return atLeast27(versionNumbers(version(peer())));
    }

    /** The configured 2.7 binary, whether or not it exists: {@value #OPENVPN_27_VARIABLE}, else {@link #BUILT_27}. */
    public static Path openvpn27() {
        return openvpn27(System::getenv);
    }

    static Path openvpn27(Function<String, String> env) {
        return nonBlank(env.apply(OPENVPN_27_VARIABLE)).map(Path::of).orElse(BUILT_27);
    }

    /** Why no OpenVPN 2.7 binary is at hand (ends with how to get one), or empty when {@link #openvpn27()} is one. */
    public static Optional<String> why27Missing() {
        return why27Missing(System::getenv);
    }

    static Optional<String> why27Missing(Function<String, String> env) {
        Optional<String> named = nonBlank(env.apply(OPENVPN_27_VARIABLE));
        Path binary = openvpn27(env);
        if (!Files.isExecutable(binary)) {
            return Optional.of((named.isPresent() ? OPENVPN_27_VARIABLE + "=" + binary + " is not an executable"
                    : OPENVPN_27_VARIABLE + " is not set and " + BUILT_27 + " does not exist") + "; " + HOW_TO_BUILD);
        }
        if (!atLeast27(versionNumbers(version(binary)))) {
            return Optional.of(binary + " is '" + version(binary) + "', not OpenVPN 2.7 or later; " + HOW_TO_BUILD);
        }
        return Optional.empty();
    }

    /** The first line of {@code binary --version}, e.g. "OpenVPN 2.6.14 x86_64-pc-linux-gnu [SSL (OpenSSL)] ...". */
    public static String version(Path binary) {
        return VERSIONS.computeIfAbsent(binary.toAbsolutePath(), StockOpenvpn::askVersion);
    }

    /** {@code [major, minor, patch]} from a version line like "OpenVPN 2.7.6 x86_64...", or an empty array. */
    static int[] versionNumbers(String versionLine) {
        String[] words = versionLine.split(" ");
        if (words.length < 2 || !words[0].equals("OpenVPN") || !words[1].matches("\\d+(\\.\\d+)*(_\\w+)?")) {
            return new int[0];
        }
        String[] parts = words[1].replaceFirst("_.*", "").split("\\.");
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = Integer.parseInt(parts[i]);
        }
        return numbers;
    }

    private static boolean atLeast27(int[] v) {
        return v.length >= 2 && (v[0] > 2 || (v[0] == 2 && v[1] >= 7));
    }

    private static String askVersion(Path binary) {
        if (!Files.isExecutable(binary)) {
            return "(" + binary + " is missing)";
        }
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("(" + binary + " --version printed nothing)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
