package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.CcdEntry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real client-connect/client-disconnect shell scripts: the dynamic config file, the environment, refusals. */
class ConnectScriptsTest {
    private static final ConnectScripts.Client ALICE = new ConnectScripts.Client("alice", "alice", null,
            new InetSocketAddress("192.0.2.7", 40000), "IV_VER=2.6.14\nIV_PLAT=linux\n", "10.8.0.6", null,
            Instant.parse("2026-11-22T03:00:00Z"));

    private static Path script(Path dir, String name, String body) throws Exception {
        Path s = dir.resolve(name);
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private static ConnectScripts.Verdict connect(ConnectScripts scripts) throws Exception {
        CompletableFuture<ConnectScripts.Verdict> v = new CompletableFuture<>();
        scripts.connect(ALICE, v::complete);
        return v.get(20, TimeUnit.SECONDS);
    }

    @Test
    void theConnectScriptsFileBecomesTheClientsDynamicConfig(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("env");
        Path s = script(dir, "cc.sh", "env > " + env + "\nstat -c %a \"$1\" >> " + env + "\n"
                + "printf 'push \"route 10.99.0.0 255.255.0.0\"\\nifconfig-push 10.8.0.50 255.255.255.0\\niroute 192.168.7.0 255.255.255.0\\n' > \"$1\"\n");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        ConnectScripts scripts = new ConnectScripts(List.of(s.toString()), List.of(), List.of(), tmp, Duration.ofSeconds(10), Map.of("dev", "tun0"));
        ConnectScripts.Verdict v = connect(scripts);
        assertTrue(v.accepted(), v.reason());
        assertEquals(List.of("route 10.99.0.0 255.255.0.0"), v.dynamic().pushes());
        assertEquals("10.8.0.50", v.dynamic().ifconfigPushLocal());
        assertEquals(List.of(new CcdEntry.Iroute("192.168.7.0", 24)), v.dynamic().iroutes());
        List<String> seen = Files.readAllLines(env);
        for (String expected : List.of("script_type=client-connect", "common_name=alice", "username=alice", "trusted_ip=192.0.2.7",
                "trusted_port=40000", "ifconfig_pool_remote_ip=10.8.0.6", "IV_VER=2.6.14", "dev=tun0", "time_unix=1795316400", "600")) {
            assertTrue(seen.contains(expected), expected + " missing from " + seen);
        }
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "the dynamic config file is deleted");
        }
    }

    @Test
    void aFailingOrBadConnectScriptRefuses(@TempDir Path dir) throws Exception {
        ConnectScripts failing = new ConnectScripts(List.of(script(dir, "no.sh", "exit 3\n").toString()), List.of(), List.of(), dir,
                Duration.ofSeconds(10), Map.of());
        ConnectScripts.Verdict v = connect(failing);
        assertFalse(v.accepted());
        assertEquals("client-connect script exited with status 3", v.reason());

        ConnectScripts garbage = new ConnectScripts(List.of(script(dir, "bad.sh", "echo 'push \"route 10.0.0.0' > \"$1\"\n")
                .toString()), List.of(), List.of(), dir, Duration.ofSeconds(10), Map.of());
        ConnectScripts.Verdict bad = connect(garbage);
        assertFalse(bad.accepted(), "an unreadable dynamic config refuses the client rather than half-applying it");
        assertTrue(bad.reason().startsWith("client-connect script wrote an invalid config"), bad.reason());

        ConnectScripts badLine = new ConnectScripts(List.of(script(dir, "line.sh",
                "echo 'ifconfig-push 10.8.0.300 255.255.255.0' > \"$1\"\n").toString()), List.of(), List.of(), dir, Duration.ofSeconds(10), Map.of());
        ConnectScripts.Verdict skipped = connect(badLine);
        assertTrue(skipped.accepted(), "like a ccd file, a bad line is reported and skipped");
        assertEquals(1, skipped.dynamic().unsupported().size(), skipped.dynamic().toString());
        assertEquals(null, skipped.dynamic().ifconfigPushLocal());
    }

    @Test
    void theDisconnectScriptHearsTheTotals(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path s = script(dir, "cd.sh", "echo \"$script_type $common_name $bytes_received $bytes_sent $time_duration\" > " + out + ".tmp\n"
                + "mv " + out + ".tmp " + out + "\n");
        ConnectScripts scripts = new ConnectScripts(List.of(), List.of(s.toString()), List.of(), dir, Duration.ofSeconds(10), Map.of());
        assertFalse(scripts.hasConnect());
        scripts.disconnect(ALICE, 1234, 5678, ALICE.since().plusSeconds(90));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(out) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("client-disconnect alice 1234 5678 90", Files.readString(out).strip());
    }

    @Test
    void learnAddressHearsAddAndDelete(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("learned");
        Path s = script(dir, "la.sh", "echo \"$*\" >> " + out + "\n");
        ConnectScripts scripts = new ConnectScripts(List.of(), List.of(), List.of(s.toString()), dir, Duration.ofSeconds(10), Map.of());
        assertTrue(scripts.hasLearn());
        scripts.learnAddress("add", "10.8.0.6", ALICE);
        awaitLines(out, 1);
        scripts.learnAddress("delete", "10.8.0.6", ALICE);
        awaitLines(out, 2);
        assertEquals(List.of("add 10.8.0.6 alice", "delete 10.8.0.6"), Files.readAllLines(out));
    }

    private static void awaitLines(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!Files.exists(file) || Files.readAllLines(file).size() < n) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void laterCcdLinesWin() {
        CcdEntry file = new CcdEntry("10.8.0.10", "255.255.255.0", null, List.of(new CcdEntry.Iroute("192.168.1.0", 24)),
                List.of("route 10.1.0.0 255.255.0.0"), false, false, List.of());
        CcdEntry script = new CcdEntry(null, null, "fd00::10/64", List.of(), List.of("dhcp-option DNS 10.8.0.1"), true, false, List.of());
        CcdEntry merged = file.then(script);
        assertEquals("10.8.0.10", merged.ifconfigPushLocal());
        assertEquals("fd00::10/64", merged.ifconfigIpv6Push());
        assertEquals(List.of("dhcp-option DNS 10.8.0.1"), merged.pushes(), "push-reset in the later part drops earlier pushes");
        assertTrue(merged.pushReset());
        assertEquals(1, merged.iroutes().size());
        assertEquals(file, file.then(CcdEntry.EMPTY));
    }
}
