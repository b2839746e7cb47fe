package io.culvert.app.client;

import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A real Culvert server started through the engine API on 127.0.0.1 (UDP, in-memory devices when the engine is
 * MEMORY), with a throwaway EC PKI (the engine's test kit, {@link TestPki}, in {@code dir/pki}); writes a matching client
 * profile with the CA, certificate and key as files beside it, the way a user receives them. The server hands out
 * 10.8.0.x/24.
 */
final class LoopbackServer implements AutoCloseable {
    final ServerHandle server;
    final int port;
    final Path dir;
    private final TestPki pki;
    private final Path[] alice;

    private LoopbackServer(ServerHandle server, int port, Path dir, TestPki pki, Path[] alice) {
        this.server = server;
        this.port = port;
        this.dir = dir;
        this.pki = pki;
        this.alice = alice;
    }

    static LoopbackServer start(Engine engine, Path dir) throws IOException, EngineException {
        Files.createDirectories(dir);
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path[] alice = pki.issueClient("alice");
        int port = FreePorts.udp();
        String config = """
                local 127.0.0.1
                port %d
                proto udp
                dev tun
                topology subnet
                server 10.8.0.0 255.255.255.0
                keepalive 10 60
                dh none
                data-ciphers AES-256-GCM:AES-128-GCM
                """.formatted(port) + TestPki.inline("ca", pki.ca()) + TestPki.inline("cert", pki.serverCert())
                + TestPki.inline("key", pki.serverKey()) + TestPki.inline("tls-crypt", pki.tcKey());
        ServerHandle h = engine.startServer(config, dir, e -> { });
        return new LoopbackServer(h, port, dir, pki, alice);
    }

    /** Like {@link #writeProfile}, with a client certificate of its own ({@code name}'s .crt/.key) valid for {@code validity}. */
    Path writeProfile(String name, String proto, String extra, Duration validity) throws IOException {
        String base = name.replaceFirst("\\.ovpn$", "");
        Path[] own = pki.issueClient("alice", base, validity);
        Files.copy(own[0], dir.resolve(base + ".crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(own[1], dir.resolve(base + ".key"), StandardCopyOption.REPLACE_EXISTING);
        Path p = writeProfile(name, proto, extra);
        Files.writeString(p, Files.readString(p).replace("cert alice.crt\nkey alice.key\n", "cert " + base + ".crt\nkey " + base + ".key\n"));
        return p;
    }

    /**
     * Writes {@code name} (over {@code proto}) with ca.crt, alice.crt, alice.key and tc.key beside it; {@code extra} lines go before the
     * file references.
     */
    Path writeProfile(String name, String proto, String extra) throws IOException {
        Files.copy(pki.ca(), dir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(alice[0], dir.resolve("alice.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(alice[1], dir.resolve("alice.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.tcKey(), dir.resolve("tc.key"), StandardCopyOption.REPLACE_EXISTING);
        String text = """
                # Test office profile
                client
                dev tun
                proto %s
                remote 127.0.0.1 %d
                nobind
                remote-cert-tls server
                persist-key
                explicit-exit-notify 1
                verb 3
                %sca ca.crt
                cert alice.crt
                key alice.key
                tls-crypt tc.key
                """.formatted(proto, port, extra);
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
        server.awaitStopped(5000);
    }
}
