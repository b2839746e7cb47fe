package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server.conf and client.conf that ship with OpenVPN (/usr/share/doc/openvpn/examples/sample-config-files),
 * as an admin following the HOWTO uses them: only the server's name and the log paths changed. The same two files
 * run under stock openvpn and under Culvert, in every pairing.
 */
@NetnsTest
@ControlPlaneOnly
class SampleConfigInteropTest {
    private static final Path SAMPLES = Path.of("/usr/share/doc/openvpn/examples/sample-config-files");

    @Test
    void theShippedSampleConfigsWorkInEveryPairing(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(SAMPLES.resolve("server.conf")) && Files.isRegularFile(SAMPLES.resolve("client.conf")),
                "the openvpn package's sample configs are missing from " + SAMPLES);
        try (Topology topology = Topology.create(dir, "ssrv", List.of("scli"))) {
            Netns srv = topology.serverNs();
            Netns cli = topology.clientNs(1);
            VethLink link = topology.link(1);
            TestPki pki = topology.pki();
            for (String f : new String[] {"ca.crt", "server.crt", "server.key", "client.crt", "client.key"}) {
                Files.copy(pki.dir().resolve(f), dir.resolve(f));
            }
            ExecResult dh = srv.exec(Duration.ofSeconds(60), "openssl", "dhparam", "-dsaparam", "-out",
                    dir.resolve("dh2048.pem").toString(), "2048");
            assertTrue(dh.ok(), dh::output);
            Path server = dir.resolve("server.conf");
            Files.writeString(server, Files.readString(SAMPLES.resolve("server.conf"))
                    .replace("/var/log/openvpn/", dir + "/"));
            Path client = dir.resolve("client.conf");
            Files.writeString(client, Files.readString(SAMPLES.resolve("client.conf"))
                    .replace("remote my-server-1 1194", "remote " + link.addrA() + " 1194"));

            try (OpenvpnProcess culvertServer = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", server.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                try (OpenvpnProcess stock = OpenvpnProcess.stock(cli, client, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult p = cli.ping("10.8.0.1", 3);
                    assertTrue(p.noLoss(), () -> "stock client → culvert server:\n" + p.output() + stock.logTail(20)
                            + "\nserver:\n" + culvertServer.logTail(20));
                }
                try (OpenvpnProcess ours = OpenvpnProcess.culvertClient(cli, client, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult p = cli.ping("10.8.0.1", 3);
                    assertTrue(p.noLoss(), () -> "culvert client → culvert server:\n" + p.output() + ours.logTail(20));
                }
                assertTrue(Files.readString(dir.resolve("openvpn-status.log")).contains("OpenVPN CLIENT LIST"),
                        "the status file named in the sample is written");
            }
            try (OpenvpnProcess stockServer = OpenvpnProcess.stock(srv, server, dir).awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess ours = OpenvpnProcess.culvertClient(cli, client, dir).awaitInitialized(InteropRig.STARTUP)) {
                PingResult p = cli.ping("10.8.0.1", 3);
                assertTrue(p.noLoss(), () -> "culvert client → stock server:\n" + p.output() + ours.logTail(20)
                        + "\nserver:\n" + stockServer.logTail(20));
            }
        }
    }
}
