package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Username/password authentication against a stock openvpn 2.6 server that checks credentials with
 * {@code auth-user-pass-verify ... via-file} (and still requires a client certificate): right credentials,
 * from a file or an inline {@code <auth-user-pass>} block, connect; wrong ones end in AUTH_FAILED and a
 * non-zero exit without a reconnect loop.
 */
@NetnsTest
@ControlPlaneOnly
class AuthUserPassInteropTest {
    private static final Duration FAIL_BUDGET = Duration.ofSeconds(15);
    private static final String VERIFY_SCRIPT = """
            #!/bin/sh
            # $1: a file holding the username and the password, one per line
            user=$(sed -n 1p "$1")
            pass=$(sed -n 2p "$1")
            echo "$user" >> "$(dirname "$0")/verify-calls.log"
            [ "$user" = alice ] && [ "$pass" = wonderland ] && exit 0
            exit 1
            """;

    @Test
    void connectsWithCredentialsFileAndStopsOnWrongPassword(@TempDir Path dir) {
        write(dir.resolve("creds.txt"), "alice\nwonderland\n");
        write(dir.resolve("wrong.txt"), "alice\nlooking-glass\n");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, serverExtra(dir), "auth-user-pass creds.txt\n")) {
            OpenvpnProcess stock = rig.startStockClient();
            assertTrue(rig.pingServer(3).noLoss(), () -> "stock client with the same profile failed:\n" + stock.logTail(30));
            stock.stop();

            OpenvpnProcess client = rig.startCulvertClient();
            assertTrue(rig.pingServer(5).noLoss(), () -> "ping failed:\n" + client.logTail(30));
            assertTrue(rig.server().log().contains("username 'alice'")
                    || rig.server().log().contains("user 'alice' authenticated")
                    || rig.server().log().contains("alice/"), () -> "server log should name alice:\n" + rig.server().logTail(30));
            client.stop();
            assertEquals(0, client.process().exitValue(), () -> client.logTail(20));

            Path wrongProfile = profileWith(rig, "auth-user-pass creds.txt", "auth-user-pass wrong.txt", "client-wrong.ovpn");
            assertFailsWithoutRetry(rig, wrongProfile, "culvert-wrong.log");
        }
    }

    @Test
    void connectsWithInlineCredentialsBlock(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, serverExtra(dir),
                "<auth-user-pass>\nalice\nwonderland\n</auth-user-pass>\n")) {
            OpenvpnProcess stock = rig.startStockClient();
            assertTrue(rig.pingServer(3).noLoss(), () -> "stock client with the same profile failed:\n" + stock.logTail(30));
            stock.stop();

            OpenvpnProcess client = rig.startCulvertClient();
            assertTrue(rig.pingServer(5).noLoss(), () -> "ping failed:\n" + client.logTail(30));
            client.stop();
            assertEquals(0, client.process().exitValue(), () -> client.logTail(20));

            Path wrongProfile = profileWith(rig, "\nwonderland\n", "\nqueen-of-hearts\n", "client-wrong-inline.ovpn");
            assertFailsWithoutRetry(rig, wrongProfile, "culvert-wrong-inline.log");
        }
    }

    @Test
    void renegotiatesWithThePushedAuthTokenInsteadOfThePassword(@TempDir Path dir) {
        write(dir.resolve("creds.txt"), "alice\nwonderland\n");
        String serverExtra = serverExtra(dir) + "auth-gen-token 0 120\nreneg-sec 8\n";
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, serverExtra, "auth-user-pass creds.txt\n")) {
            OpenvpnProcess client = rig.startCulvertClient();
            client.awaitLine("Renegotiation complete (key id 2)", Duration.ofSeconds(30));
            PingResult ping = rig.pingServer(5);
            String why = "\nclient log:\n" + client.logTail(20) + "\nserver log:\n" + rig.server().logTail(30);
            assertTrue(ping.noLoss(), "ping after two renegotiations failed" + why);
            assertTrue(rig.server().log().lines().anyMatch(l -> l.contains("PUSH_REPLY") && l.contains("auth-token")),
                    "the server should push an auth-token" + why);
            // The script checks passwords only; a valid token is checked by the server itself.
            assertEquals(1, read(dir.resolve("verify-calls.log")).lines().count(),
                    "the password was re-checked on renegotiation: the client did not send the auth-token" + why);
            assertFalse(client.log().contains("AUTH_FAILED"), why);
            client.stop();
            assertEquals(0, client.process().exitValue(), why);
        }
    }

    /**
     * OpenVPN keeps the pushed auth token across a restart and sends it, with the pushed auth-token-user, instead of
     * the password: after a ping-restart the client logs in again without the password script being run.
     */
    @Test
    void reconnectsWithThePushedAuthTokenAndAuthTokenUser(@TempDir Path dir) {
        write(dir.resolve("creds.txt"), "alice\nwonderland\n");
        String serverExtra = serverExtra(dir) + "auth-gen-token 0 120\n";
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, serverExtra, "auth-user-pass creds.txt\n")) {
            OpenvpnProcess client = rig.startCulvertClient();
            // stock pushes "auth-token TOKEN,auth-token-user BASE64(alice)"; its log masks both
            assertTrue(rig.server().log().lines().anyMatch(l -> l.contains("PUSH_REPLY") && l.contains("auth-token")),
                    () -> "stock pushes an auth token with auth-gen-token:\n" + rig.server().logTail(30));
            Duration t = Duration.ofSeconds(5);
            rig.serverNs().exec(t, "nft", "add table inet cut");
            rig.serverNs().exec(t, "nft", "add chain inet cut in { type filter hook input priority 0 ; }");
            rig.serverNs().exec(t, "nft", "add rule inet cut in udp dport " + InteropRig.PORT + " drop");
            client.awaitLine("ping-restart", Duration.ofSeconds(30));
            rig.serverNs().exec(t, "nft", "delete table inet cut");
            long ready = 0;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos(); System.nanoTime() < deadline; ) {
                ready = client.log().lines().filter(l -> l.contains(OpenvpnProcess.READY)).count();
                if (ready >= 2) {
                    break;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            String why = "\nclient log:\n" + client.logTail(30) + "\nserver log:\n" + rig.server().logTail(30);
            assertEquals(2, ready, "no second connection" + why);
            assertTrue(rig.pingServer(3).received() > 0, why);
            assertEquals(1, read(dir.resolve("verify-calls.log")).lines().count(),
                    "the password script ran again: the client did not log in with the auth token" + why);
            assertFalse(client.log().contains("AUTH_FAILED"), why);
        }
    }

    private static void assertFailsWithoutRetry(InteropRig rig, Path profile, String logName) {
        long start = System.nanoTime();
        try (OpenvpnProcess bad = OpenvpnProcess.command(rig.clientNs(), rig.dir(), rig.dir().resolve(logName),
                OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", profile.toString())) {
            // The budget counts from the client's first log line: a JVM starved of CPU on a loaded machine may take
            // many seconds to start, which says nothing about how it handles AUTH_FAILED.
            for (long until = System.nanoTime() + OpenvpnProcess.STARTUP_GRACE.toNanos();
                    bad.log().isEmpty() && bad.process().isAlive() && System.nanoTime() < until; ) {
                Thread.sleep(100);
            }
            boolean exited = bad.process().waitFor(FAIL_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String log = bad.log();
            assertTrue(exited, () -> "client with wrong credentials still running " + FAIL_BUDGET + " after its first log line:\n"
                    + bad.logTail(30));
            assertNotEquals(0, bad.process().exitValue(), () -> "wrong credentials must exit non-zero:\n" + log);
            assertTrue(log.contains("AUTH_FAILED"), () -> "log must name the authentication failure:\n" + log);
            assertEquals(1, log.lines().filter(l -> l.contains("State CONNECTING")).count(), () -> "reconnected:\n" + log);
            assertFalse(log.contains("State RECONNECTING"), () -> "reconnect loop:\n" + log);
            assertFalse(log.contains("Initialization Sequence Completed"), log);
            assertTrue(rig.server().log().contains("TLS Auth Error") || rig.server().log().contains("AUTH_FAILED"),
                    () -> "server should report the rejection:\n" + rig.server().logTail(20));
            System.out.printf("wrong credentials (%s): exit %d after %d ms%n", logName, bad.process().exitValue(), millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String serverExtra(Path dir) {
        Path script = dir.resolve("verify.sh");
        write(script, VERIFY_SCRIPT);
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "script-security 2\nauth-user-pass-verify " + script.toAbsolutePath() + " via-file\nverify-client-cert require\n";
    }

    private static Path profileWith(InteropRig rig, String from, String to, String name) {
        try {
            String text = Files.readString(rig.clientConfig());
            assertTrue(text.contains(from), text);
            Path p = rig.dir().resolve(name);
            Files.writeString(p, text.replace(from, to));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
