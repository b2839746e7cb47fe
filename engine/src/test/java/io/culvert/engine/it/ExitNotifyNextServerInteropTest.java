package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code explicit-exit-notify 2} on a server that stops sends its clients OpenVPN's {@code RESTART,[N]}: reconnect,
 * to the next remote. Two servers run in the server namespace (A on port 1194 with 10.77.0.0/24, B on 1195 with
 * 10.78.0.0/24); the client's profile lists A, then B. A is stopped with SIGTERM; the client must say it was told, and
 * come up on B (a ping to 10.78.0.1 answers) without waiting for a timeout. Proved both ways against stock: Culvert
 * servers with a stock client (the message), stock servers with a Culvert client (the reading of {@code [N]}).
 */
@NetnsTest
class ExitNotifyNextServerInteropTest {
    private static final Duration UP = Duration.ofSeconds(60);
    /** The stock client pauses 2 s before a restart (socket_restart_pause); the rest is margin for a loaded machine. */
    private static final Duration TO_NEXT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "Culvert servers: {0}")
    @ValueSource(booleans = {true, false})
    void aStoppingServerSendsItsClientsToTheNextRemote(boolean culvertServers, @TempDir Path dir) throws Exception {
        List<OpenvpnProcess> started = new ArrayList<>();
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            rig.server().stop(); // the rig's own server; ours follow
            String base = Files.readString(rig.serverConfig());
            Path confA = Files.writeString(dir.resolve("server-a.conf"), base + "explicit-exit-notify 2\n");
            Path confB = Files.writeString(dir.resolve("server-b.conf"),
                    base.replace("port 1194", "port 1195").replace("10.77.0.0", "10.78.0.0"));
            OpenvpnProcess a = server(rig, culvertServers, confA, "a", started);
            server(rig, culvertServers, confB, "b", started);
            Path profile = Files.writeString(dir.resolve("two-remotes.ovpn"),
                    Files.readString(rig.clientConfig()) + "remote " + rig.serverAddr() + " 1195\n");
            OpenvpnProcess client = culvertServers ? OpenvpnProcess.stock(rig.clientNs(), profile, dir)
                    : OpenvpnProcess.culvertClient(rig.clientNs(), profile, dir);
            started.add(client);
            client.awaitInitialized(UP);
            assertTrue(rig.clientNs().ping("10.77.0.1", 3).received() > 0, () -> "no tunnel to A:\n" + client.logTail(20));

            a.stop(); // SIGTERM
            String told = culvertServers ? "Connection reset command was pushed by server ('[N]')"
                    : "server sent RESTART,[N]";
            client.awaitLine(told, Duration.ofSeconds(10));
            client.awaitLines(OpenvpnProcess.READY, 2, TO_NEXT);
            String log = client.log();
            String toB = rig.serverAddr() + ":1195";
            String afterReset = log.substring(log.indexOf(told));
            assertTrue(afterReset.contains(toB), () -> "the client did not move to B (" + toB + "):\n" + client.logTail(30));
            PingResult ping = rig.clientNs().ping("10.78.0.1", 5);
            assertTrue(ping.received() > 0, () -> "no tunnel to B: " + ping.output() + "\n" + client.logTail(30));
            System.out.printf("explicit-exit-notify 2 (%s servers): the client moved to the next remote%n",
                    culvertServers ? "Culvert" : "stock");
        } finally {
            started.reversed().forEach(OpenvpnProcess::close);
        }
    }

    private static OpenvpnProcess server(InteropRig rig, boolean culvert, Path conf, String name,
            List<OpenvpnProcess> started) {
        OpenvpnProcess p = culvert
                ? OpenvpnProcess.culvert(rig.serverNs(), OpenvpnProcess.repoRoot().resolve("culvert"), "server", conf,
                        rig.dir(), rig.dir().resolve("culvert-server-" + name + ".log"))
                : OpenvpnProcess.stock(rig.serverNs(), conf, rig.dir());
        started.add(p);
        return p.awaitInitialized(UP);
    }
}
