package io.culvert.engine.server;

import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.common.Processes;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server's scripts as OpenVPN does: a command line split into words, OpenVPN's environment variables
 * on top of the server's own environment, output copied to the log, killed after a timeout. At most
 * {@link #CONCURRENT} scripts run at once. Blocking: call it from a virtual thread. Thread-safe.
 */
final class ScriptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
    static final int CONCURRENT = 8;
    private static final Semaphore SLOTS = new Semaphore(CONCURRENT);

    /** How a run ended: the exit status, or a reason it has none (not started, timed out). */
    record Outcome(int status, String failure) {
        boolean succeeded() {
            return failure == null && status == 0;
        }

        String describe(String what) {
            return failure != null ? what + ": " + failure : what + " exited with status " + status;
        }
    }

    private ScriptRunner() {}

    static Outcome run(String what, List<String> argv, Map<String, String> env, Duration timeout) {
        try {
            SLOTS.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted");
        }
        try {
            Processes.Result r = Processes.command(argv).env(env).mergeErrors().timeout(timeout)
                    .lines(line -> LOG.info("{}: {}", what, line)).run();
            return new Outcome(r.exitCode(), null);
        } catch (Processes.TimedOut e) {
            return new Outcome(-1, "did not finish within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new Outcome(-1, "interrupted");
            }
            LOG.warn("{}: {}", what, e.getMessage());
            return new Outcome(-1, e.getMessage());
        } finally {
            SLOTS.release();
        }
    }

    /** An empty 0600 file in {@code dir} for a script to read or write; pair with {@link #deleteQuietly}. */
    static Path privateFile(Path dir, String prefix) throws IOException {
        return PrivateFiles.createTempFile(dir, prefix);
    }

    /** Removes a file {@link #privateFile} made; null is fine, failures are logged. */
    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    /** OpenVPN's variables for the client's certificate ({@code X509_0_CN}, {@code tls_serial_0}, digests …). */
    /**
     * {@link #certificateEnv(Map, X509Certificate, String)} and the {@code x509-track} fields of the client's
     * certificate as {@code X509_0_<name>} (OpenVPN's {@code x509_setenv_track}; a {@code +} name also covers the
     * chain above the client's certificate, which the server does not keep, so only depth 0 is set).
     */
    static void certificateEnv(Map<String, String> env, X509Certificate cert, String commonName, List<String> x509Track) {
        certificateEnv(env, cert, commonName);
        if (cert == null) {
            return;
        }
        for (String t : x509Track) {
            String name = t.startsWith("+") ? t.substring(1) : t;
            String v = io.culvert.engine.tls.X509Fields.track(cert, name);
            if (v != null) {
                env.put("X509_0_" + name, v);
            }
        }
    }

    static void certificateEnv(Map<String, String> env, X509Certificate cert, String commonName) {
        if (commonName != null) {
            env.put("X509_0_CN", commonName);
        }
        if (cert == null) {
            return;
        }
        env.put("tls_id_0", cert.getSubjectX500Principal().getName());
        BigInteger serial = cert.getSerialNumber();
        env.put("tls_serial_0", serial.toString());
        String serialHex = HexFormat.ofDelimiter(":").formatHex(serial.toByteArray());
        env.put("tls_serial_hex_0", serialHex.startsWith("00:") ? serialHex.substring(3) : serialHex);
        try {
            byte[] der = cert.getEncoded();
            env.put("tls_digest_sha256_0", HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
            env.put("tls_digest_0", HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-1").digest(der)));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            LOG.debug("no certificate digest for the script: {}", e.getMessage());
        }
    }

    /** The client's {@code IV_}/{@code UV_} peer-info variables. */
    static void peerInfoEnv(Map<String, String> env, String peerInfo) {
        if (peerInfo == null) {
            return;
        }
        for (String line : peerInfo.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && (line.startsWith("IV_") || line.startsWith("UV_"))) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }
}
