package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's server lifecycle against the stock client. A {@link ServerLifecycleProbe} plays the app's server manager
 * in the server namespace with real tun devices. (1) A server is backed up, deleted, and restored from the backup into
 * a fresh data folder; a stock {@code openvpn} with the profile exported before the backup connects and pings.
 * (2) Editing a running server's port restarts it there; a stock client with the re-exported profile connects on the
 * new port and pings. (3) Editing a running server's keepalive and pushed DNS servers restarts it; the stock client
 * that was connected reconnects and is pushed the new values.
 */
@NetnsTest
class ServerLifecycleInteropTest {
    private static final Duration UP = Duration.ofSeconds(60);
    private static final String PASSPHRASE = "tr0ub4dor&3-is-not-it";

    @Test
    void aServerRestoredOnAFreshDataFolderTakesTheStockClientsOldProfile(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("bk", Scenario.UDP_TLS_CRYPT_GCM, dir, 1194)) {
            String address = hosts.link().addrA();
            Path profile = dir.resolve("alice.ovpn");
            Path backup = dir.resolve("office.culvert-backup");
            try (LocalServerAdmin admin = LocalServerAdmin.open(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()),
                    dir.resolve("old"), InstantSource.system())) {
                admin.create(ServerSpec.builder("office", address).network("10.79.0.0", "255.255.255.0")
                        .bindAddress(address).build());
                admin.issueClient("office", "alice");
                Files.writeString(profile, admin.exportProfile("office", "alice"));
                Files.write(backup, admin.backup("office", PASSPHRASE.toCharArray()));
                admin.delete("office");
            }
            assertTrue(Files.notExists(dir.resolve("old/servers/office")), "deleted with its PKI");
            try (OpenvpnProcess manager = probe(hosts.srv(), dir, dir.resolve("new"))) {
                send(manager, "restore " + backup + " " + PASSPHRASE + "\nstart office\n");
                manager.awaitLine("RESTORED office", UP).awaitLine("STARTED " + address + ":1194", UP);
                try (OpenvpnProcess client = OpenvpnProcess.stock(hosts.cli(), profile, dir)) {
                    client.awaitInitialized(UP);
                    PingResult ping = hosts.cli().ping("10.79.0.1", 3);
                    assertTrue(ping.noLoss(), () -> "ping through the restored server:\n" + ping.output() + "\n" + manager.logTail(20));
                }
                send(manager, "quit\n");
            }
        }
    }

    @Test
    void editingARunningServersPortRestartsItThere(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("ed", Scenario.UDP_TLS_CRYPT_GCM, dir, 1194)) {
            String address = hosts.link().addrA();
            try (LocalServerAdmin admin = LocalServerAdmin.open(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()),
                    dir.resolve("data"), InstantSource.system())) {
                admin.create(ServerSpec.builder("office", address).network("10.79.0.0", "255.255.255.0")
                        .bindAddress(address).build());
                admin.issueClient("office", "alice");
            }
            Path before = dir.resolve("before.ovpn");
            Path after = dir.resolve("after.ovpn");
            try (OpenvpnProcess manager = probe(hosts.srv(), dir, dir.resolve("data"))) {
                send(manager, "start office\nexport office alice " + before + "\n");
                manager.awaitLine("STARTED " + address + ":1194", UP).awaitLine("EXPORTED " + before, UP);
                try (OpenvpnProcess client = OpenvpnProcess.stock(hosts.cli(), before, dir)) {
                    client.awaitInitialized(UP);
                    assertTrue(hosts.cli().ping("10.79.0.1", 2).noLoss(), "on the old port");
                }
                send(manager, "port office 1195\nexport office alice " + after + "\n");
                manager.awaitLine("EDITED restarted=true reasons=[port 1194 → 1195 (the profile's remote line)]", UP)
                        .awaitLine("LISTENING " + address + ":1195", UP).awaitLine("EXPORTED " + after, UP);
                assertTrue(Files.readString(after).contains("remote " + address + " 1195"), "the re-exported profile");
                try (OpenvpnProcess client = OpenvpnProcess.stock(hosts.cli(), after, dir)) {
                    client.awaitInitialized(UP);
                    PingResult ping = hosts.cli().ping("10.79.0.1", 3);
                    assertTrue(ping.noLoss(), () -> "ping on the new port:\n" + ping.output() + "\n" + manager.logTail(20));
                    assertTrue(client.log().contains(address + ":1195"), client::log);
                }
                send(manager, "quit\n");
            }
        }
    }

    @Test
    void editingARunningServersKeepaliveAndDnsReachesTheConnectedStockClient(@TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("ek", Scenario.UDP_TLS_CRYPT_GCM, dir, 1194)) {
            String address = hosts.link().addrA();
            try (LocalServerAdmin admin = LocalServerAdmin.open(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()),
                    dir.resolve("data"), InstantSource.system())) {
                admin.create(ServerSpec.builder("office", address).network("10.79.0.0", "255.255.255.0")
                        .bindAddress(address).build());
                admin.issueClient("office", "alice");
            }
            Path profile = dir.resolve("alice.ovpn");
            try (OpenvpnProcess manager = probe(hosts.srv(), dir, dir.resolve("data"))) {
                send(manager, "start office\nexport office alice " + profile + "\n");
                manager.awaitLine("STARTED " + address + ":1194", UP).awaitLine("EXPORTED " + profile, UP);
                try (OpenvpnProcess client = OpenvpnProcess.stock(hosts.cli(), profile, dir)) {
                    client.awaitInitialized(UP);
                    assertTrue(client.log().contains("ping 10,ping-restart 60"), client::log);
                    int before = client.log().length();
                    send(manager, "clients office 5 40 10.79.0.53,2001:db8::53\n");
                    manager.awaitLine("EDITED restarted=true reasons=[]", UP).awaitLine("LISTENING " + address + ":1194", UP);
                    assertTrue(Files.readString(dir.resolve("data/servers/office/server.conf"))
                            .contains("keepalive 5 40\npush \"dhcp-option DNS 10.79.0.53\"\npush \"dhcp-option DNS6 2001:db8::53\"\n"));
                    long deadline = System.nanoTime() + UP.toNanos();
                    while (!(pushedAgain(client.log().substring(before)) && client.log().substring(before).contains(OpenvpnProcess.READY))
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    String again = client.log().substring(before);
                    assertTrue(pushedAgain(again) && again.contains(OpenvpnProcess.READY),
                            () -> "the reconnected stock client's push:\n" + again + "\n" + manager.logTail(20));
                    PingResult ping = hosts.cli().ping("10.79.0.1", 3);
                    assertTrue(ping.noLoss(), () -> "ping after the restart:\n" + ping.output());
                }
                send(manager, "quit\n");
            }
        }
    }

    private static boolean pushedAgain(String log) {
        return log.contains("dhcp-option DNS 10.79.0.53") && log.contains("dhcp-option DNS6 2001:db8::53")
                && log.contains("ping 5,ping-restart 40");
    }

    private static OpenvpnProcess probe(Netns ns, Path dir, Path data) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return OpenvpnProcess.command(ns, dir, dir.resolve("manager-" + data.getFileName() + ".log"), java,
                "--enable-native-access=ALL-UNNAMED", "-Dstdout.encoding=UTF-8", "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ServerLifecycleProbe.class.getName(), data.toString()).awaitLine("READY", UP);
    }

    private static void send(OpenvpnProcess p, String lines) throws IOException {
        OutputStream out = p.process().getOutputStream();
        out.write(lines.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
