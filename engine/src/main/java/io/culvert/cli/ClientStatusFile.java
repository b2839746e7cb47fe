package io.culvert.cli;

import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.common.Threads;
import io.culvert.engine.management.StatusReport;
import io.culvert.engine.common.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenVPN's {@code status FILE [n]} for {@code culvert client}: the client's "OpenVPN STATISTICS" block (the same
 * text as the management interface's {@code status}, {@link StatusReport#client}), written atomically with mode 0600
 * when started, every {@code n} seconds, and once more when closed. A write that fails is logged once until one
 * succeeds again. Thread-safe: one daemon thread writes; {@link #close()} may be called from any thread.
 */
final class ClientStatusFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientStatusFile.class);

    private final Path file;
    private final long periodMillis;
    private final Supplier<TrafficStats> stats;
    private final InstantSource clock;
    private final ZoneId zone;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread writer;
    private boolean failed;

    ClientStatusFile(Path file, int seconds, Supplier<TrafficStats> stats, InstantSource clock, ZoneId zone) {
        if (seconds < 1) {
            throw new IllegalArgumentException("status period must be at least 1 s, was " + seconds);
        }
        this.file = file.toAbsolutePath();
        this.periodMillis = seconds * 1000L;
        this.stats = stats;
        this.clock = clock;
        this.zone = zone;
    }

    /** Writes the file now and then every period until {@link #close()}. */
    synchronized ClientStatusFile start() {
        writer = Threads.platform("culvert-status-file").daemon().start(this::run);
        return this;
    }

    /** Writes the file now (the text ends with {@code END} and a line feed, as OpenVPN's). */
    synchronized void write() {
        StringBuilder text = new StringBuilder();
        for (String line : StatusReport.client(stats.get(), clock.instant(), zone)) {
            text.append(line).append('\n');
        }
        try {
            PrivateFiles.writePrivate(file, text.toString());
            failed = false;
        } catch (IOException e) {
            if (!failed) {
                LOG.warn("Cannot write the status file {}: {}", file, e.toString());
            }
            failed = true;
        }
    }

    /** Stops the periodic writes and writes the final counters. */
    @Override
    public void close() {
        stop.countDown();
        Thread t;
        synchronized (this) {
            t = writer;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        write();
    }

    private void run() {
        try {
            do {
                write();
            } while (!stop.await(periodMillis, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
