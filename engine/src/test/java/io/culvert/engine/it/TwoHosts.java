package io.culvert.engine.it;

import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server namespace and a client namespace joined by a veth ({@link Netns#link(Netns, Netns)}), with a fresh test PKI
 * and the server and client configs of one {@link Scenario} written to {@code dir}: the set-up every pairing test and
 * benchmark starts from. {@link #close()} deletes both namespaces. Immutable.
 *
 * @param srv the server's namespace, the veth's A end
 * @param cli the client's namespace, the veth's B end
 * @param link the veth between them
 * @param serverConf the scenario's server config, listening on the A end
 * @param clientConf the scenario's client profile, dialling the A end
 */
public record TwoHosts(Netns srv, Netns cli, VethLink link, Path serverConf, Path clientConf) implements AutoCloseable {

    /** Namespaces named after {@code label} ({@code <label>srv}, {@code <label>cli}); configs for {@code port}. */
    public static TwoHosts create(String label, Scenario scenario, Path dir, int port) {
        Netns srv = Netns.create(label + "srv");
        Netns cli = null;
        try {
            cli = Netns.create(label + "cli");
            VethLink link = Netns.link(srv, cli);
            TestPki pki = TestPki.create(dir.resolve("pki"));
            Path serverConf = Files.writeString(dir.resolve("server.conf"), scenario.serverConfig(pki, link.addrA(), port));
            Path clientConf = Files.writeString(dir.resolve("client.ovpn"), scenario.clientConfig(pki, link.addrA(), port, true));
            return new TwoHosts(srv, cli, link, serverConf, clientConf);
        } catch (IOException | RuntimeException e) {
            if (cli != null) {
                cli.close();
            }
            srv.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public void close() {
        try {
            cli.close();
        } finally {
            srv.close();
        }
    }
}
