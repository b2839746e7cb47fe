package io.culvert.engine.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth-user-pass-verify SCRIPT via-file|via-env}: runs the script the way OpenVPN 2.6 does (exit status 0
 * accepts) with OpenVPN's environment variables, the credentials either in a 0600 temporary file passed as the
 * last argument (deleted afterwards) or in {@code username}/{@code password}. Scripts run on virtual threads, at
 * most {@link #CONCURRENT} at once, and are killed after the timeout. Thread-safe.
 */
public final class ScriptPasswordCheck implements PasswordCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptPasswordCheck.class);
    static final int CONCURRENT = 8;

    private final List<String> command;
    private final boolean viaFile;
    private final Path tmpDir;
    private final Duration timeout;
    private final Map<String, String> serverEnv;
    private final Semaphore slots = new Semaphore(CONCURRENT);

    /**
     * @param command the program and its fixed arguments
     * @param serverEnv variables describing the server (dev, config, …), added to every run
     */
    public ScriptPasswordCheck(List<String> command, boolean viaFile, Path tmpDir, Duration timeout, Map<String, String> serverEnv) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty auth-user-pass-verify command");
        }
        this.command = List.copyOf(command);
        this.viaFile = viaFile;
        this.tmpDir = tmpDir;
        this.timeout = timeout;
        this.serverEnv = Map.copyOf(serverEnv);
    }

    /** Splits a command line as OpenVPN does: whitespace separates words, double quotes group, backslash escapes. */
    public static List<String> split(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (c == '\\' && i + 1 < commandLine.length()) {
                w.append(commandLine.charAt(++i));
                inWord = true;
            } else if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    @Override
    public void check(Request request, Consumer<Verdict> done) {
        Thread.ofVirtual().name("culvert-auth-script").start(() -> done.accept(run(request)));
    }

    private Verdict run(Request r) {
        Path file = null;
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.reject("interrupted");
        }
        try {
            List<String> argv = new ArrayList<>(command);
            if (viaFile) {
                file = Files.createTempFile(tmpDir, "culvert_up_", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, r.username() + "\n" + r.password() + "\n", StandardCharsets.UTF_8);
                argv.add(file.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            environment(pb.environment(), r);
            Process p = pb.start();
            Thread.ofVirtual().name("culvert-auth-script-out").start(() -> logOutput(p));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Verdict.reject("auth-user-pass-verify script did not finish within " + timeout.toSeconds() + " s");
            }
            int status = p.exitValue();
            return status == 0 ? Verdict.accept() : Verdict.reject("auth-user-pass-verify script exited with status " + status);
        } catch (IOException e) {
            LOG.warn("cannot run auth-user-pass-verify script {}: {}", command.getFirst(), e.getMessage());
            return Verdict.reject("cannot run the auth-user-pass-verify script: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.reject("interrupted");
        } finally {
            slots.release();
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", file, e.getMessage());
                }
            }
        }
    }

    private void environment(Map<String, String> env, Request r) {
        env.putAll(serverEnv);
        env.put("script_type", "user-pass-verify");
        env.put("script_context", "init");
        env.put("username", r.username());
        if (!viaFile) {
            env.put("password", r.password());
        }
        if (r.from() != null) {
            env.put("untrusted_ip", r.from().getAddress().getHostAddress());
            env.put("untrusted_port", Integer.toString(r.from().getPort()));
        }
        if (r.commonName() != null) {
            env.put("common_name", r.commonName());
            env.put("X509_0_CN", r.commonName());
        }
        if (r.certificate() != null) {
            env.put("tls_id_0", r.certificate().getSubjectX500Principal().getName());
            BigInteger serial = r.certificate().getSerialNumber();
            env.put("tls_serial_0", serial.toString());
            byte[] serialBytes = serial.toByteArray();
            String serialHex = colonHex(serialBytes);
            env.put("tls_serial_hex_0", serialHex.startsWith("00:") ? serialHex.substring(3) : serialHex);
            try {
                byte[] der = r.certificate().getEncoded();
                env.put("tls_digest_sha256_0", colonHex(MessageDigest.getInstance("SHA-256").digest(der)));
                env.put("tls_digest_0", colonHex(MessageDigest.getInstance("SHA-1").digest(der)));
            } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
                LOG.debug("no certificate digest for the script: {}", e.getMessage());
            }
        }
        if (r.peerInfo() != null) {
            for (String line : r.peerInfo().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && (line.startsWith("IV_") || line.startsWith("UV_"))) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
    }

    private static String colonHex(byte[] bytes) {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }

    private void logOutput(Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                LOG.info("auth-user-pass-verify: {}", line);
            }
        } catch (IOException e) {
            LOG.debug("script output: {}", e.getMessage());
        }
    }
}
