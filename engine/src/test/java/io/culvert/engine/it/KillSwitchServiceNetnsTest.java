package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.remote.RemoteEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch run by culvertd (issue 13): the real {@code ./culvert service} as root in the client namespace, a
 * profile with {@code culvert-kill-switch} connected through its socket to a stock server. {@code kill -9} of culvertd
 * leaves the block in place — the outside host is unreachable while the server's address still answers — until
 * culvertd starts again, finds no active profile and removes it.
 */
@NetnsTest
@CulvertFeature
class KillSwitchServiceNetnsTest {
    private static final int PORT = 1194;
    private static final Duration UP = Duration.ofSeconds(60);
    private static final String TABLE = "culvert_killswitch";

    @Test
    void aKilledCulvertdLeavesTheBlockUntilItStartsAgain(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("kss", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                Netns outside = Netns.create("kssout");
                OpenvpnProcess server = OpenvpnProcess.stock(hosts.srv(), hosts.serverConf(), dir)) {
            VethLink side = Netns.link(hosts.cli(), "10.202.1.1/24", outside, "10.202.1.2/24");
            String outsideAddr = side.addrB();
            assertEquals(1, hosts.cli().ping(outsideAddr, 1).received(), "the outside host answers before the test");
            server.awaitInitialized(UP);
            Path socket = dir.resolve("culvertd.sock");

            OpenvpnProcess first = culvertd(hosts.cli(), dir, socket, "culvertd-1.log");
            try {
                first.awaitLine("culvertd listening", UP);
                String profile = Files.readString(hosts.clientConf()) + "setenv opt culvert-kill-switch\n";
                BlockingQueue<String> events = new LinkedBlockingQueue<>();
                RemoteEngine engine = RemoteEngine.connect(socket, "kill-switch-test", InstantSource.system());
                engine.startClient(profile, null, e -> {
                    if (e instanceof EngineEvent.Connected) {
                        events.add("CONNECTED");
                    }
                }, prompt -> Optional.empty());
                assertEquals("CONNECTED", events.poll(UP.toSeconds(), TimeUnit.SECONDS), () -> first.logTail(40));
                assertTrue(table(hosts.cli()).contains("culvert kill switch, pid"), () -> table(hosts.cli()));
                assertEquals(0, hosts.cli().ping(outsideAddr, 2, "-w", "2").received(), "the outside host while connected");
                assertTrue(hosts.cli().ping(Scenario.SERVER_TUNNEL_ADDR, 3).received() > 0, "the tunnel carries traffic");

                // kill -9 of culvertd: its tunnel dies with it, the block stays
                first.process().toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                first.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                assertTrue(table(hosts.cli()).contains("culvert kill switch, pid"), "the block stays after kill -9 of culvertd");
                assertEquals(0, hosts.cli().ping(outsideAddr, 2, "-w", "2").received(), "the outside host after the crash");
                // the server's port stays reachable for a reconnect: datagrams to it leave the client's link
                KillSwitchInteropTest.Capture toServer = KillSwitchInteropTest.Capture.start(hosts.cli(),
                        hosts.link().nameB(), "dst host " + hosts.link().addrA() + " and udp port " + PORT,
                        dir.resolve("srv.pcap.txt"));
                for (int i = 0; i < 3; i++) {
                    hosts.cli().exec(Duration.ofSeconds(5), "bash", "-c", "echo probe > /dev/udp/" + hosts.link().addrA()
                            + "/" + PORT);
                }
                assertEquals(3, toServer.stop(), "datagrams to the VPN server's port while the block stays");
                try {
                    engine.close();
                } catch (RuntimeException e) {
                    // the service is gone; nothing to close cleanly
                }
            } finally {
                first.stop();
            }

            // culvertd starts again with no active profile: it removes the stale block, and traffic flows directly
            try (OpenvpnProcess second = culvertd(hosts.cli(), dir, socket, "culvertd-2.log")) {
                second.awaitLine("culvertd listening", UP);
                assertTrue(second.log().contains("removed the kill switch left by an earlier run (process "),
                        () -> second.logTail(20));
                assertEquals("", table(hosts.cli()), "no kill switch table once culvertd started again");
                assertEquals(1, hosts.cli().ping(outsideAddr, 1).received(), "the outside host once the stale block is gone");
                second.stop();
            }
        }
    }

    private static OpenvpnProcess culvertd(Netns ns, Path dir, Path socket, String log) throws Exception {
        Files.deleteIfExists(socket);
        return OpenvpnProcess.command(ns, dir, dir.resolve(log), OpenvpnProcess.repoRoot().resolve("culvert").toString(),
                "service", "--socket", socket.toString(), "--group", "root", "--state-dir", dir.resolve("state").toString());
    }

    /** The kill switch's table in {@code ns}, as nft lists it, or "" when there is none. */
    private static String table(Netns ns) {
        ExecResult r = ns.exec(Duration.ofSeconds(10), "nft", "list", "table", "inet", TABLE);
        return r.ok() ? r.output() : "";
    }
}
