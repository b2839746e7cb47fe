package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.CommandLine;
import io.culvert.engine.testkit.MemoryPki;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real shell scripts the way auth-user-pass-verify does and checks what they are given. */
class ScriptPasswordCheckTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.7", 40000);

    private static Path script(Path dir, String body) throws Exception {
        Path s = dir.resolve("verify.sh");
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private static PasswordCheck.Verdict run(PasswordCheck check, PasswordCheck.Request r) throws Exception {
        CompletableFuture<PasswordCheck.Verdict> v = new CompletableFuture<>();
        check.check(r, v::complete);
        return v.get(20, TimeUnit.SECONDS);
    }

    private static PasswordCheck.Request alice(String password) {
        return new PasswordCheck.Request("alice", password, null, null, FROM, "IV_VER=2.6.14\nIV_PLAT=linux\nIV_PROTO=990\n");
    }

    @Test
    void viaFileGivesTheCredentialsInAPrivateFileThatIsDeletedAfterwards(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("seen");
        Path s = script(dir, "{ cat \"$1\"; stat -c %a \"$1\"; echo \"$1\"; echo \"[$password]\"; } > " + out + "\n"
                + "[ \"$(sed -n 2p \"$1\")\" = wonderland ]\n");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        ScriptPasswordCheck check = new ScriptPasswordCheck(List.of(s.toString()), true, tmp, Duration.ofSeconds(10), Map.of());
        assertTrue(run(check, alice("wonderland")).accepted());
        List<String> seen = Files.readAllLines(out);
        assertEquals(List.of("alice", "wonderland", "600"), seen.subList(0, 3));
        assertTrue(seen.get(3).startsWith(tmp.toString()), seen.toString());
        assertEquals("[]", seen.get(4), "via-file keeps the password out of the environment");
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "the credentials file is deleted");
        }
        PasswordCheck.Verdict no = run(check, alice("queen"));
        assertFalse(no.accepted());
        assertEquals("auth-user-pass-verify script exited with status 1", no.reason());
    }

    @Test
    void viaEnvAndOpenvpnsVariables(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("env");
        Path s = script(dir, "env > " + out + "\n[ \"$password\" = wonderland ] && [ \"$1\" = --realm ] && [ \"$2\" = corp ]\n");
        ScriptPasswordCheck check = new ScriptPasswordCheck(CommandLine.split(s + " --realm corp"), false, dir,
                Duration.ofSeconds(10), Map.of("dev", "tun0"));
        MemoryPki pki = MemoryPki.shared();
        var cert = pki.clientTls().chain().getFirst();
        PasswordCheck.Request r = new PasswordCheck.Request("alice", "wonderland", cert, "client", FROM, "IV_VER=2.6.14\nIV_PLAT=linux\n");
        assertTrue(run(check, r).accepted());
        List<String> env = Files.readAllLines(out);
        for (String expected : List.of("script_type=user-pass-verify", "username=alice", "password=wonderland",
                "untrusted_ip=192.0.2.7", "untrusted_port=40000", "common_name=client", "X509_0_CN=client",
                "IV_VER=2.6.14", "IV_PLAT=linux", "dev=tun0", "tls_serial_0=" + cert.getSerialNumber())) {
            assertTrue(env.contains(expected), expected + " missing from " + env);
        }
        assertTrue(env.stream().anyMatch(l -> l.startsWith("tls_digest_sha256_0=") && l.length() == 20 + 95), env.toString());
    }

    @Test
    void aHangingScriptIsKilledAndRefuses(@TempDir Path dir) throws Exception {
        Path s = script(dir, "sleep 30\n");
        ScriptPasswordCheck check = new ScriptPasswordCheck(List.of(s.toString()), true, dir, Duration.ofMillis(300), Map.of());
        long start = System.nanoTime();
        PasswordCheck.Verdict v = run(check, alice("x"));
        assertFalse(v.accepted());
        assertTrue(v.reason().contains("did not finish"), v.reason());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void aMissingScriptRefusesWithTheReason(@TempDir Path dir) throws Exception {
        ScriptPasswordCheck check = new ScriptPasswordCheck(List.of(dir.resolve("nope.sh").toString()), true, dir,
                Duration.ofSeconds(5), Map.of());
        PasswordCheck.Verdict v = run(check, alice("x"));
        assertFalse(v.accepted());
        assertTrue(v.reason().startsWith("auth-user-pass-verify script: cannot run " + dir.resolve("nope.sh")), v.reason());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "no credentials file left behind");
        }
    }

    @Test
    void splitsCommandLinesLikeOpenvpn() {
        assertEquals(List.of("/etc/openvpn/check.sh"), CommandLine.split("/etc/openvpn/check.sh"));
        assertEquals(List.of("/usr/bin/python3", "/opt/my auth.py", "--realm", "corp"),
                CommandLine.split("/usr/bin/python3 \"/opt/my auth.py\"  --realm corp"));
        assertEquals(List.of("a b", "c"), CommandLine.split("a\\ b c"));
    }
}
