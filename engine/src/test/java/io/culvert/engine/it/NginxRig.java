package io.culvert.engine.it;

import io.culvert.engine.api.NginxSnippet;
import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx (Debian's {@code /usr/sbin/nginx}) in a test's namespace, fronting a server's {@code culvert-websocket}
 * socket over TLS with a test CA's certificate. Its config is a minimal {@code nginx.conf} (every file under
 * {@code dir}) around the admin guide's location block, {@link NginxSnippet#location} (the file
 * {@code docs/nginx/culvert-websocket.conf}), so the tests run exactly what the documentation tells admins to paste.
 * {@link #stop()}, {@link #kill()} and {@link #start()} restart it on the same config; {@link #close()} stops it even
 * when the test failed (the namespace's own close would too).
 */
public final class NginxRig implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Duration T = Duration.ofSeconds(30);

    private final Netns ns;
    private final Path prefix;
    private final String listen;
    private final int port;
    private final String path;
    private Process process;

    private NginxRig(Netns ns, Path prefix, String listen, int port, String path) {
        this.ns = ns;
        this.prefix = prefix;
        this.listen = listen;
        this.port = port;
        this.path = path;
    }

    /** Aborts the test when nginx is not installed, fails it when CI=true. */
    public static void requireNginx() {
        if (!Files.isExecutable(NGINX)) {
            if (NetnsCondition.isCi()) {
                throw new AssertionError("CI=true but " + NGINX + " is missing (apt-get install nginx)");
            }
            Assumptions.abort(NGINX + " is missing");
        }
    }

    /**
     * Writes the config and starts nginx in {@code ns}: {@code listen LISTEN:PORT ssl} with a certificate for
     * {@code listen} from {@code pki}, the documented location block for {@code path} proxying to
     * {@code backendHost:backendPort}, and {@code serverExtra} (more lines for the {@code server} block, e.g.
     * {@code ssl_verify_client}; may be empty). Returns once nginx listens.
     */
    public static NginxRig start(Netns ns, Path dir, TestPki pki, String listen, int port, String path, String backendHost,
            int backendPort, String serverExtra) throws IOException, InterruptedException {
        return start(ns, dir, pki, listen, listen, port, path, backendHost, backendPort, serverExtra);
    }

    /** As above with the certificate issued for {@code certName} (a DNS name or address) instead of {@code listen}. */
    public static NginxRig start(Netns ns, Path dir, TestPki pki, String certName, String listen, int port, String path,
            String backendHost, int backendPort, String serverExtra) throws IOException, InterruptedException {
        return startWith(ns, dir, pki, certName, listen, port, path, NginxSnippet.location(path, backendHost, backendPort),
                "", serverExtra);
    }

    /**
     * As above with the location block given ({@code location}, e.g. one proxying to a Unix socket) and
     * {@code mainExtra} lines for nginx's main context (e.g. {@code user www-data www-data;}; may be empty).
     */
    static NginxRig start(Netns ns, Path dir, TestPki pki, String listen, int port, String path, String location,
            String mainExtra, String serverExtra) throws IOException, InterruptedException {
        return startWith(ns, dir, pki, listen, listen, port, path, location, mainExtra, serverExtra);
    }

    private static NginxRig startWith(Netns ns, Path dir, TestPki pki, String certName, String listen, int port,
            String path, String location, String mainExtra, String serverExtra) throws IOException, InterruptedException {
        requireNginx();
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Path[] cert = pki.issueWebServer("nginx-" + certName.replaceAll("[^A-Za-z0-9]", "-"), certName);
        Files.writeString(prefix.resolve("nginx.conf"), mainExtra + conf(prefix, listen, port, cert,
                location.indent(8), serverExtra.indent(8)));
        NginxRig rig = new NginxRig(ns, prefix, listen, port, path);
        try {
            rig.start();
        } catch (RuntimeException | Error | InterruptedException e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    /** {@link #start(Netns, Path, TestPki, String, int, String, String, int, String)} on port 8443, nothing extra. */
    public static NginxRig start(Netns ns, Path dir, TestPki pki, String listen, String path, String backendHost,
            int backendPort) throws IOException, InterruptedException {
        return start(ns, dir, pki, listen, 8443, path, backendHost, backendPort, "");
    }

    private static String conf(Path prefix, String listen, int port, Path[] cert, String location, String extra) {
        String host = listen.contains(":") ? "[" + listen + "]" : listen;
        return """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen %2$s:%3$d ssl;
                        ssl_certificate %4$s;
                        ssl_certificate_key %5$s;
                %6$s%7$s    }
                }
                """.formatted(prefix, host, port, cert[0], cert[1], extra, location);
    }

    /** Starts nginx on the written config (again, after {@link #stop()} or {@link #kill()}) and waits until it listens. */
    public synchronized void start() throws InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("nginx is already running");
        }
        process = ns.spawn(prefix.resolve("stdout.log"), NGINX.toString(), "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("error.log").toString());
        String pattern = (listen.contains(":") ? "\\[" + listen + "\\]" : listen.replace(".", "\\.")) + ":" + port + " ";
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with " + process.exitValue() + ":\n" + logs());
            }
            if (ns.exec(T, "sh", "-c", "ss -Htln | grep -Eq '" + pattern + "'").ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nginx did not listen on " + listen + ":" + port + " within 30 s:\n" + logs());
    }

    /** {@code nginx -s stop} (a fast shutdown: every connection closed at once); waits until it has exited. */
    public void stop() {
        ExecResult r = ns.exec(T, NGINX.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
                "-e", prefix.resolve("error.log").toString(), "-s", "stop");
        if (!r.ok()) {
            throw new AssertionError("nginx -s stop: " + r.output());
        }
        awaitExit();
    }

    /** SIGKILL to the master and its workers (a crash): connections die without a close. */
    public synchronized void kill() {
        Process p = process;
        if (p != null) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            awaitExit();
        }
    }

    /** Stops nginx and starts it again on the same config and port. */
    public void restart() throws InterruptedException {
        stop();
        start();
    }

    private void awaitExit() {
        Process p = process;
        try {
            if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("nginx did not exit within 30 s:\n" + logs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The URL clients dial: {@code wss://LISTEN:PORT/PATH}. */
    public String url() {
        return "wss://" + (listen.contains(":") ? "[" + listen + "]" : listen) + ":" + port + path;
    }

    public String listen() {
        return listen;
    }

    public int port() {
        return port;
    }

    public Path prefix() {
        return prefix;
    }

    public Path config() {
        return prefix.resolve("nginx.conf");
    }

    public String errorLog() {
        return read("error.log");
    }

    public String accessLog() {
        return read("access.log");
    }

    /** The error log and nginx's own output, for failure messages. */
    public String logs() {
        return "nginx error.log:\n" + errorLog() + "\nnginx stdout:\n" + read("stdout.log");
    }

    private String read(String name) {
        try {
            Path file = prefix.resolve(name);
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            Netns.killTree(p.toHandle());
        }
    }
}
