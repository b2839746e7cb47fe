package io.culvert.engine.server;

import io.culvert.engine.common.Threads;
import io.culvert.engine.net.Addresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth-user-pass-verify SCRIPT via-file|via-env}: runs the script the way OpenVPN 2.6 does (exit status 0
 * accepts) with OpenVPN's environment variables, the credentials either in a 0600 temporary file passed as the
 * last argument (deleted afterwards) or in {@code username}/{@code password}. Scripts run on virtual threads
 * through {@link ScriptRunner}. Thread-safe.
 */
public final class ScriptPasswordCheck implements PasswordCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptPasswordCheck.class);
    private static final String WHAT = "auth-user-pass-verify script";

    private final List<String> command;
    private final boolean viaFile;
    private final Path tmpDir;
    private final Duration timeout;
    private final Map<String, String> serverEnv;
    private List<String> x509Track = List.of();

    /**
     * @param command the program and its fixed arguments
     * @param serverEnv variables describing the server (dev, config, …), added to every run
     */
    /** A copy that gives the script the {@code x509-track} fields too. */
    public ScriptPasswordCheck withX509Track(List<String> track) {
        ScriptPasswordCheck c = new ScriptPasswordCheck(command, viaFile, tmpDir, timeout, serverEnv);
        c.x509Track = List.copyOf(track);
        return c;
    }

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

    @Override
    public void check(Request request, Consumer<Verdict> done) {
        Threads.virtual("culvert-auth-script").start(() -> done.accept(run(request)));
    }

    private Verdict run(Request r) {
        Path file = null;
        try {
            List<String> argv = new ArrayList<>(command);
            if (viaFile) {
                file = ScriptRunner.privateFile(tmpDir, "culvert_up_");
                Files.writeString(file, r.username() + "\n" + r.password() + "\n", StandardCharsets.UTF_8);
                argv.add(file.toString());
            }
            ScriptRunner.Outcome o = ScriptRunner.run(WHAT, argv, environment(r), timeout);
            return o.succeeded() ? Verdict.accept() : Verdict.reject(o.describe(WHAT));
        } catch (IOException e) {
            LOG.warn("cannot write the credentials file in {}: {}", tmpDir, e.getMessage());
            return Verdict.reject("cannot run the " + WHAT + ": " + e.getMessage());
        } finally {
            ScriptRunner.deleteQuietly(file);
        }
    }

    private Map<String, String> environment(Request r) {
        Map<String, String> env = new HashMap<>(serverEnv);
        env.put("script_type", "user-pass-verify");
        env.put("script_context", "init");
        env.put("username", r.username());
        if (!viaFile) {
            env.put("password", r.password());
        }
        if (r.from() != null) {
            env.put("untrusted_ip", io.culvert.engine.net.Addresses.text(r.from().getAddress()));
            env.put("untrusted_port", Integer.toString(r.from().getPort()));
        }
        if (r.commonName() != null) {
            env.put("common_name", r.commonName());
        }
        ScriptRunner.certificateEnv(env, r.certificate(), r.commonName(), x509Track);
        ScriptRunner.peerInfoEnv(env, r.peerInfo());
        return env;
    }
}
