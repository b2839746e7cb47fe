package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's kill switch ({@code setenv opt culvert-kill-switch}) on a real host: a Culvert client in its namespace
 * with two links, one to a stock server and one to an "outside" host. While the profile is connected or reconnecting
 * nothing reaches the outside host — a tcpdump on that link sees no packet for it while the server is down and the
 * client retries — yet the server's address stays reachable, so the client reconnects when the server returns. A
 * clean disconnect lifts the block; {@code kill -9} leaves it until the next start of a client removes it.
 */
@NetnsTest
@CulvertFeature
class KillSwitchInteropTest {
    private static final int PORT = 1194;
    private static final Duration UP = Duration.ofSeconds(40);
    private static final String TABLE = "culvert_killswitch";

    @Test
    void blocksEverythingButTheTunnelAndTheServerUntilACleanDisconnect(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("ks", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                Netns outside = Netns.create("ksout")) {
            VethLink side = Netns.link(hosts.cli(), "10.202.1.1/24", outside, "10.202.1.2/24");
            String outsideAddr = side.addrB();
            assertTrue(hosts.cli().ping(outsideAddr, 1).received() == 1, "the outside host answers before the test");
            String plain = Files.readString(hosts.clientConf());
            Path guarded = Files.writeString(dir.resolve("guarded.ovpn"), plain + "setenv opt culvert-kill-switch\n");

            OpenvpnProcess server = OpenvpnProcess.stock(hosts.srv(), hosts.serverConf(), dir).awaitInitialized(UP);
            try (OpenvpnProcess client = OpenvpnProcess.culvertClient(hosts.cli(), guarded, dir)) {
                client.awaitInitialized(UP);
                client.awaitLine("Kill switch on: nothing leaves this machine but the tunnel and " + hosts.link().addrA()
                        + ":" + PORT + "/udp may be reached", Duration.ofSeconds(5));
                assertTrue(table(hosts.cli()).contains("culvert kill switch, pid"), table(hosts.cli()));
                assertEquals(0, hosts.cli().ping(outsideAddr, 2, "-w", "2").received(), "the outside host while connected");
                assertTrue(hosts.cli().ping(Scenario.SERVER_TUNNEL_ADDR, 3).received() > 0, "the tunnel carries traffic");

                // the server goes away: the client retries, and nothing leaks to the outside host meanwhile
                server.stop();
                Capture toOutside = Capture.start(hosts.cli(), side.nameA(), "dst host " + outsideAddr, dir.resolve("out.pcap.txt"));
                Capture toServer = Capture.start(hosts.cli(), hosts.link().nameB(), "dst host " + hosts.link().addrA()
                        + " and udp port " + PORT, dir.resolve("srv.pcap.txt"));
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < until) {
                    hosts.cli().ping(outsideAddr, 1, "-w", "2");
                    hosts.cli().exec(Duration.ofSeconds(3), "timeout", "1", "bash", "-c", "echo x > /dev/tcp/" + outsideAddr + "/80");
                }
                int leaked = toOutside.stop();
                int retries = toServer.stop();
                assertEquals(0, leaked, "packets to the outside host during 10 s of attempts while the server was down");
                assertTrue(retries > 0, "the client's retries reach the server's address (" + retries + " packets)");

                // the server returns: the client reconnects through the switch
                server = OpenvpnProcess.stock(hosts.srv(), hosts.serverConf(), dir).awaitInitialized(UP);
                client.awaitLines(OpenvpnProcess.READY, 2, Duration.ofSeconds(90));
                assertTrue(hosts.cli().ping(Scenario.SERVER_TUNNEL_ADDR, 3).received() > 0, "the tunnel after the reconnect");
                assertEquals(0, hosts.cli().ping(outsideAddr, 1, "-w", "2").received(), "the outside host after the reconnect");

                // a clean disconnect lifts it
                client.stop();
                assertTrue(client.log().contains("Kill switch off"), client.logTail(10));
                assertEquals("", table(hosts.cli()), "no kill switch table after a clean disconnect");
                assertEquals(1, hosts.cli().ping(outsideAddr, 1).received(), "the outside host directly after Disconnect");
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void aKilledClientLeavesTheBlockUntilTheNextStartRemovesIt(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("ksk", Scenario.UDP_TLS_CRYPT_GCM, dir, PORT);
                Netns outside = Netns.create("kskout");
                OpenvpnProcess server = OpenvpnProcess.stock(hosts.srv(), hosts.serverConf(), dir)) {
            VethLink side = Netns.link(hosts.cli(), "10.202.1.1/24", outside, "10.202.1.2/24");
            server.awaitInitialized(UP);
            String plain = Files.readString(hosts.clientConf());
            Path guarded = Files.writeString(dir.resolve("guarded.ovpn"), plain + "culvert-kill-switch allow-lan\n");
            Path dirGuarded = Files.createDirectories(dir.resolve("guarded"));
            try (OpenvpnProcess client = OpenvpnProcess.culvertClient(hosts.cli(), guarded, dirGuarded)) {
                client.awaitInitialized(UP);
                // allow-lan: 10.202.1.2 is a private address, so it stays reachable; 192.0.2.1 is not
                assertEquals(1, hosts.cli().ping(side.addrB(), 1).received(), "a LAN host with allow-lan");
                client.process().toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                client.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertTrue(table(hosts.cli()).contains("culvert kill switch, pid"), "the block stays after kill -9");
            hosts.cli().exec(Duration.ofSeconds(5), "ip", "addr", "add", "192.0.2.7/32", "dev", side.nameA());
            outside.exec(Duration.ofSeconds(5), "ip", "addr", "add", "192.0.2.8/24", "dev", side.nameB());
            hosts.cli().exec(Duration.ofSeconds(5), "ip", "route", "add", "192.0.2.0/24", "dev", side.nameA());
            assertEquals(0, hosts.cli().ping("192.0.2.8", 1, "-w", "2").received(), "a public address while the block stays");

            Path dirPlain = Files.createDirectories(dir.resolve("plain"));
            try (OpenvpnProcess next = OpenvpnProcess.culvertClient(hosts.cli(), hosts.clientConf(), dirPlain)) {
                next.awaitInitialized(UP);
                assertTrue(next.log().contains("removed the kill switch left by an earlier run (process "), next.logTail(20));
                assertEquals("", table(hosts.cli()));
                assertEquals(1, hosts.cli().ping("192.0.2.8", 1).received(), "a public address once the stale block is gone");
            }
        }
    }

    /** The kill switch's table in {@code ns}, as nft lists it, or "" when there is none. */
    private static String table(Netns ns) {
        ExecResult r = ns.exec(Duration.ofSeconds(10), "nft", "list", "table", "inet", TABLE);
        return r.ok() ? r.output() : "";
    }

    /** tcpdump on one interface of a namespace, counting the packets its filter matches. */
    record Capture(Process process, Path out) {
        static Capture start(Netns ns, String device, String filter, Path out) throws Exception {
            Process p = ns.spawn(out, "tcpdump", "-i", device, "-n", "-l", "--immediate-mode", filter);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(out).contains("listening on")) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new AssertionError("tcpdump did not start: " + Files.readString(out));
                }
                Thread.sleep(50);
            }
            return new Capture(p, out);
        }

        int stop() throws Exception {
            Thread.sleep(300);
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            return (int) Files.readString(out).lines().filter(l -> l.contains(" IP ")).count();
        }
    }
}
