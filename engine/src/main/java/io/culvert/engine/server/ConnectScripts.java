package io.culvert.engine.server;

import io.culvert.engine.common.Threads;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.CcdEntry;
import io.culvert.engine.config.ClientConfigDir;
import io.culvert.engine.config.file.OvpnParseException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code client-connect} and {@code client-disconnect}, as OpenVPN 2.6 runs them: the connect script gets the
 * path of an empty 0600 file as its last argument and may write client-config-dir lines into it (read after the
 * client's own ccd file); a non-zero exit refuses the client. The disconnect script is told the byte counts and
 * the duration; its exit status is ignored. Scripts run on virtual threads. Thread-safe.
 */
public final class ConnectScripts {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectScripts.class);
    static final int MAX_DYNAMIC_CHARS = 64 * 1024;

    private final List<String> connect;
    private final List<String> x509Track;
    private final List<String> disconnect;
    private final List<String> learn;
    private final Path tmpDir;
    private final Duration timeout;
    private final Map<String, String> serverEnv;

    /** Who is connecting; {@code poolIpv4}/{@code poolIpv6} are the addresses the pool offers, or null. */
    public record Client(String commonName, String username, X509Certificate certificate, InetSocketAddress from,
            String peerInfo, String poolIpv4, String poolIpv6, Instant since) {}

    /** The connect script's answer: refused with a reason, or accepted with its dynamic config (maybe empty). */
    public record Verdict(boolean accepted, CcdEntry dynamic, String reason) {}

    /** @param connect the client-connect command line (words), or empty; likewise {@code disconnect}, {@code learn} */
    public ConnectScripts(List<String> connect, List<String> disconnect, List<String> learn, Path tmpDir, Duration timeout,
            Map<String, String> serverEnv) {
        this(connect, disconnect, learn, tmpDir, timeout, serverEnv, List.of());
    }

    /** With {@code x509-track}: those certificate fields go to the scripts as {@code X509_0_<name>}. */
    public ConnectScripts(List<String> connect, List<String> disconnect, List<String> learn, Path tmpDir, Duration timeout,
            Map<String, String> serverEnv, List<String> x509Track) {
        this.x509Track = List.copyOf(x509Track);
        this.connect = List.copyOf(connect);
        this.disconnect = List.copyOf(disconnect);
        this.learn = List.copyOf(learn);
        this.tmpDir = tmpDir;
        this.timeout = timeout;
        this.serverEnv = Map.copyOf(serverEnv);
    }

    public boolean hasConnect() {
        return !connect.isEmpty();
    }

    public boolean hasDisconnect() {
        return !disconnect.isEmpty();
    }

    public boolean hasLearn() {
        return !learn.isEmpty();
    }

    /**
     * Runs learn-address ({@code add|update|delete ADDRESS [common name]}) and forgets it. Unlike OpenVPN, which
     * waits for it, a failing script is logged but does not stop the address from being routed.
     */
    public void learnAddress(String operation, String address, Client c) {
        if (!hasLearn()) {
            return;
        }
        List<String> argv = new ArrayList<>(learn);
        argv.add(operation);
        argv.add(address);
        if (!operation.equals("delete")) {
            argv.add(c.commonName());
        }
        Threads.virtual("culvert-learn-address").start(() -> {
            ScriptRunner.Outcome o = ScriptRunner.run("learn-address", argv, env(c, "learn-address"), timeout);
            if (!o.succeeded()) {
                LOG.warn("{}", o.describe("learn-address " + operation + " " + address));
            }
        });
    }

    /** Runs client-connect; {@code done} is called exactly once, on any thread. */
    public void connect(Client c, Consumer<Verdict> done) {
        Threads.virtual("culvert-client-connect").start(() -> done.accept(runConnect(c)));
    }

    /** Runs client-disconnect and forgets it. */
    public void disconnect(Client c, long bytesReceived, long bytesSent, Instant now) {
        if (!hasDisconnect()) {
            return;
        }
        Threads.virtual("culvert-client-disconnect").start(() -> {
            Map<String, String> env = env(c, "client-disconnect");
            env.put("bytes_received", Long.toString(bytesReceived));
            env.put("bytes_sent", Long.toString(bytesSent));
            env.put("time_duration", Long.toString(Math.max(0, Duration.between(c.since(), now).toSeconds())));
            ScriptRunner.Outcome o = ScriptRunner.run("client-disconnect", disconnect, env, timeout);
            if (!o.succeeded()) {
                LOG.info("{}", o.describe("client-disconnect script for " + c.commonName()));
            }
        });
    }

    private Verdict runConnect(Client c) {
        Path file = null;
        try {
            file = ScriptRunner.privateFile(tmpDir, "culvert_cc_");
            List<String> argv = new ArrayList<>(connect);
            argv.add(file.toString());
            ScriptRunner.Outcome o = ScriptRunner.run("client-connect", argv, env(c, "client-connect"), timeout);
            if (!o.succeeded()) {
                return new Verdict(false, null, o.describe("client-connect script"));
            }
            if (Files.size(file) > MAX_DYNAMIC_CHARS) {
                return new Verdict(false, null, "client-connect script wrote more than " + MAX_DYNAMIC_CHARS + " bytes");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Verdict(true, text.isBlank() ? CcdEntry.EMPTY : ClientConfigDir.parse(text), null);
        } catch (IOException e) {
            return new Verdict(false, null, "client-connect script: " + e.getMessage());
        } catch (OvpnParseException e) {
            return new Verdict(false, null, "client-connect script wrote an invalid config: " + e.getMessage());
        } finally {
            ScriptRunner.deleteQuietly(file);
        }
    }

    private Map<String, String> env(Client c, String type) {
        Map<String, String> env = new HashMap<>(serverEnv);
        env.put("script_type", type);
        env.put("script_context", "init");
        env.put("common_name", c.commonName());
        if (c.username() != null) {
            env.put("username", c.username());
        }
        if (c.from() != null) {
            String ip = io.culvert.engine.net.Addresses.text(c.from().getAddress());
            String port = Integer.toString(c.from().getPort());
            env.put("trusted_ip", ip);
            env.put("trusted_port", port);
            env.put("untrusted_ip", ip);
            env.put("untrusted_port", port);
        }
        if (c.poolIpv4() != null) {
            env.put("ifconfig_pool_remote_ip", c.poolIpv4());
        }
        if (c.poolIpv6() != null) {
            env.put("ifconfig_pool_remote_ip6", c.poolIpv6());
        }
        env.put("time_unix", Long.toString(c.since().getEpochSecond()));
        env.put("time_ascii", c.since().toString());
        ScriptRunner.certificateEnv(env, c.certificate(),
                c.certificate() == null ? null : io.culvert.engine.tls.PeerVerification.commonName(c.certificate()), x509Track);
        ScriptRunner.peerInfoEnv(env, c.peerInfo());
        return env;
    }
}
