package io.culvert.engine.store;

import io.culvert.engine.common.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Keyring} over libsecret's {@code secret-tool} command (package libsecret-tools), which talks to
 * the Secret Service (GNOME Keyring, KWallet ...) on the session bus. Items carry the attributes
 * {@code application=culvert account=ID}. Secrets pass through stdin/stdout only, never through argv.
 * Immutable and thread-safe.
 */
public final class SecretToolKeyring implements Keyring {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** What is kept of secret-tool's output: far more than any secret we store (a cut secret would be wrong, not short). */
    private static final int OUTPUT_CAP = 1024 * 1024;

    private final Path command;
    private final Map<String, String> env;

    /** Uses {@code command} (the secret-tool executable) with the session environment {@code env}. */
    public SecretToolKeyring(Path command, Map<String, String> env) {
        this.command = command;
        this.env = Map.copyOf(env);
    }

    /** secret-tool from PATH, or {@link Keyring#NONE} when it is not installed. */
    public static Keyring fromPath(Map<String, String> env) {
        for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "secret-tool");
            if (Files.isExecutable(p)) {
                return new SecretToolKeyring(p, env);
            }
        }
        return NONE;
    }

    @Override
    public boolean isAvailable() {
        if (env.getOrDefault("DBUS_SESSION_BUS_ADDRESS", "").isEmpty() && env.getOrDefault("XDG_RUNTIME_DIR", "").isEmpty()) {
            return false;
        }
        try {
            // search exits 0 (found) or 1 (nothing) silently when the service answers; anything else writes to stderr
            Result r = run(null, "search", "application", "culvert", "account", "availability-probe");
            return r.exit() <= 1 && r.err().isBlank();
        } catch (StoreException e) {
            return false;
        }
    }

    @Override
    public void store(String account, String label, String secret) {
        Result r = run(secret, "store", "--label=" + label, "application", "culvert", "account", account);
        if (r.exit() != 0) {
            throw failed("store", r);
        }
    }

    @Override
    public Optional<String> lookup(String account) {
        Result r = run(null, "lookup", "application", "culvert", "account", account);
        if (r.exit() == 0) {
            return Optional.of(r.out());
        }
        if (r.err().isBlank()) {
            return Optional.empty();
        }
        throw failed("lookup", r);
    }

    @Override
    public void clear(String account) {
        Result r = run(null, "clear", "application", "culvert", "account", account);
        if (r.exit() > 1 || !r.err().isBlank()) {
            throw failed("clear", r);
        }
    }

    private record Result(int exit, String out, String err) {}

    private static StoreException failed(String what, Result r) {
        return new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED,
                "secret-tool " + what + " failed (exit " + r.exit() + "): " + r.err().strip());
    }

    private Result run(String stdin, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(command.toString());
        argv.addAll(List.of(args));
        try {
            Processes.Result r = Processes.command(argv).cleanEnv().env(env).input(stdin).outputCap(OUTPUT_CAP)
                    .timeout(TIMEOUT).run();
            return new Result(r.exitCode(), r.out(), r.err());
        } catch (Processes.TimedOut e) {
            throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, "secret-tool did not answer");
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, "interrupted", e);
            }
            throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, e.getMessage(), e);
        }
    }
}
