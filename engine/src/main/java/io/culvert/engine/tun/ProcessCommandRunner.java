package io.culvert.engine.tun;

import io.culvert.engine.common.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A {@link CommandRunner} backed by {@link ProcessBuilder}, with a timeout. Stateless and thread-safe. */
public final class ProcessCommandRunner implements CommandRunner {
    private final Duration timeout;

    public ProcessCommandRunner() {
        this(Duration.ofSeconds(10));
    }

    public ProcessCommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Result run(List<String> argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        // Drain stderr on the side so a chatty command can never fill a pipe and stall.
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(
                () -> readAll(process.getErrorStream()), Threads.virtual("culvert-cmd-stderr")::start);
        try {
            String stdout = readAll(process.getInputStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": timed out after " + timeout);
            }
            return new Result(process.exitValue(), stdout, stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", argv) + ": interrupted", e);
        } catch (ExecutionException | UncheckedIOException e) {
            throw new IOException(String.join(" ", argv) + ": cannot read output", e.getCause());
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
