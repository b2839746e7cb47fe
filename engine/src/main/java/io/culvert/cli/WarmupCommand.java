package io.culvert.cli;

import io.culvert.engine.warmup.Warmup;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code culvert warmup [--rounds N]}: runs the engine's in-memory warm-up (TLS handshakes through tls-crypt, data
 * packets through every AEAD cipher) in the foreground and prints what it did. A self-check that needs no root
 * and no network, and the training run of the AOT cache that the package ships (installer/linux/build-deb.sh).
 */
@Command(name = "warmup", mixinStandardHelpOptions = true,
        description = "Runs the in-memory handshake and packet self-check; needs no root and no network.")
final class WarmupCommand implements Callable<Integer> {
    /** Added to every usage error of this command (by {@link Cli}), as the first launcher printed it. */
    static final String USAGE = "usage: culvert warmup [--rounds N] (N from 1 to 9999)";

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", paramLabel = "N", arity = "0..1", fallbackValue = "",
            description = "handshakes to run, 1 to 9999 (default: ${DEFAULT-VALUE})")
    String rounds = Integer.toString(Warmup.SERVER_ROUNDS);

    @Override
    public Integer call() {
        if (!rounds.matches("[1-9][0-9]{0,3}")) {
            throw Cli.usage(spec, "--rounds needs a number from 1 to 9999, got '" + rounds + "'");
        }
        int n = Integer.parseInt(rounds);
        var out = Cli.root(spec).out;
        long t0 = System.nanoTime();
        try {
            int done = Warmup.runNow(n, InstantSource.system());
            out.printf("culvert warmup: %d of %d handshakes and their packets in %d ms%n", done, n,
                    (System.nanoTime() - t0) / 1_000_000);
            return done == n ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (GeneralSecurityException | IOException e) {
            Cli.root(spec).err.println("culvert warmup: failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
