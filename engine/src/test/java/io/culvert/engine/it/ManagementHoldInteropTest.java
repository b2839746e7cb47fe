package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.FreePorts;
import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code management 127.0.0.1 PORT pw-file} with {@code management-hold}: stock openvpn and {@code ./culvert client}
 * prompt for the password the same way, announce the hold, report the hold flag, and exit on {@code signal
 * SIGTERM} before ever connecting. Runs on the host's loopback only (the remote is never contacted).
 */
@NetnsTest
@ControlPlaneOnly
class ManagementHoldInteropTest {

    @Test
    void passwordPromptHoldAndSigtermMatchStock(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path pw = dir.resolve("mgmt.pw");
        Files.writeString(pw, "open sesame\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        int stockPort = FreePorts.tcp();
        List<String> stock = transcript(stockPort, List.of(NetnsCondition.OPENVPN.toString(), "--client", "--dev", "null",
                "--remote", "127.0.0.1", "9", "--ca", pki.ca().toString(), "--cert", pki.clientCert().toString(),
                "--key", pki.clientKey().toString(), "--management", "127.0.0.1", Integer.toString(stockPort), pw.toString(),
                "--management-hold", "--verb", "3"), dir.resolve("stock-hold.log"));
        int culvertPort = FreePorts.tcp();
        Path profile = dir.resolve("held.ovpn");
        Files.writeString(profile, "client\ndev tun\nremote 127.0.0.1 9\nca " + pki.ca() + "\ncert " + pki.clientCert()
                + "\nkey " + pki.clientKey() + "\nmanagement 127.0.0.1 " + culvertPort + " mgmt.pw\nmanagement-hold\n");
        List<String> culvert = transcript(culvertPort, List.of(OpenvpnProcess.repoRoot().resolve("culvert").toString(),
                "client", "--config", profile.toString()), dir.resolve("culvert-hold.log"));
        assertEquals(ManagementShape.of(stock), ManagementShape.of(culvert), () -> "stock:   " + stock + "\nculvert: " + culvert);
        assertEquals(List.of("ENTER PASSWORD:", "ENTER PASSWORD:", "SUCCESS: password is correct",
                ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info", ">HOLD:Waiting for hold release:0",
                "SUCCESS: hold=1", "SUCCESS: hold flag set to OFF", "SUCCESS: hold=0", "SUCCESS: signal SIGTERM thrown",
                "exited"), culvert);
    }

    /** Starts {@code argv}, runs the management dialogue, and records every reply; the process must then exit. */
    private static List<String> transcript(int port, List<String> argv, Path log) throws Exception {
        Process p = new ProcessBuilder(argv).directory(log.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        List<String> t = new ArrayList<>();
        try (ManagementClient m = ManagementClient.tcp(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(60))) {
            t.add(m.pendingPrompt());
            m.send("not the password");
            t.add(m.pendingPrompt());
            m.send("open sesame");
            t.add(m.nextLine());
            t.add(m.nextLine());
            t.add(m.nextLine());
            t.add(m.single("hold"));
            t.add(m.single("hold off"));
            t.add(m.single("hold"));
            t.add(m.single("signal SIGTERM"));
            t.add(p.waitFor(20, TimeUnit.SECONDS) ? "exited" : "still running");
            assertTrue(!p.isAlive(), () -> readLog(log));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return t;
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
