package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A company-style server where users log in with a username and password and have no certificate:
 * {@code verify-client-cert none}, {@code auth-user-pass-verify SCRIPT via-file}, {@code username-as-common-name}.
 * The same server.conf runs under stock openvpn 2.6 and under {@code ./culvert server}; stock clients and
 * {@code ./culvert client} with the same profiles (no cert, no key) log in to both, the clients are named by their
 * usernames, and a wrong password ends in AUTH_FAILED while the others stay connected.
 */
@NetnsTest
@ControlPlaneOnly
class PasswordServerInteropTest {
    private static final String VERIFY_SCRIPT = """
            #!/bin/sh
            # $1: the username and the password, one per line
            user=$(sed -n 1p "$1")
            pass=$(sed -n 2p "$1")
            echo "$user $script_type $untrusted_ip $(stat -c %a "$1")" >> "$(dirname "$0")/verify-calls.log"
            case "$user:$pass" in
              alice:wonderland|bob:builder) exit 0 ;;
            esac
            exit 1
            """;
    /** client-connect: logs who came with which pool address, gives bob one more route through the dynamic file. */
    private static final String CONNECT_SCRIPT = """
            #!/bin/sh
            echo "connect $common_name $ifconfig_pool_remote_ip" >> "$(dirname "$0")/connect.log"
            [ "$common_name" = bob ] && echo 'push "route 10.123.0.0 255.255.0.0"' > "$1"
            exit 0
            """;
    private static final String LEARN_SCRIPT = """
            #!/bin/sh
            echo "learn $*" >> "$(dirname "$0")/connect.log"
            """;
    private static final String DISCONNECT_SCRIPT = """
            #!/bin/sh
            echo "disconnect $common_name $bytes_received $bytes_sent" >> "$(dirname "$0")/connect.log"
            """;

    @Test
    void usersWithoutCertificatesLogInToStockAndCulvertServers(@TempDir Path dir) throws Exception {
        Path script = executable(dir.resolve("verify.sh"), VERIFY_SCRIPT);
        Path connect = executable(dir.resolve("connect.sh"), CONNECT_SCRIPT);
        Path disconnect = executable(dir.resolve("disconnect.sh"), DISCONNECT_SCRIPT);
        Path learn = executable(dir.resolve("learn.sh"), LEARN_SCRIPT);
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2, "verify-client-cert none",
                "username-as-common-name", "script-security 2", "auth-user-pass-verify " + script + " via-file",
                "client-connect " + connect, "client-disconnect " + disconnect, "learn-address " + learn)) {
            List<String> users = List.of("alice\nwonderland\n", "bob\nbuilder\n");
            for (int i = 1; i <= 2; i++) {
                Files.writeString(dir.resolve("creds" + i + ".txt"), users.get(i - 1));
                Files.writeString(rig.clientConfig(i), withoutCertificate(Files.readString(rig.clientConfig(i)))
                        + "auth-user-pass " + dir.resolve("creds" + i + ".txt") + "\n");
            }

            rig.startStockServer();
            rig.startStockClients();
            assertMeshPasses(rig, "stock server, stock clients");
            assertBobHasTheScriptsRoute(rig, "stock server");
            rig.stopClients();
            rig.startCulvertClients();
            assertMeshPasses(rig, "stock server, culvert clients without certificates");
            rig.stopServer();

            Files.deleteIfExists(dir.resolve("verify-calls.log"));
            Files.deleteIfExists(dir.resolve("connect.log"));
            rig.startCulvertServer();
            rig.startStockClients();
            assertMeshPasses(rig, "culvert server, stock clients without certificates");
            assertEquals(List.of("alice", "bob"), rig.awaitFreshStatus().commonNames().stream().sorted().toList(),
                    "username-as-common-name: the status file names clients by username");
            rig.stopClients();
            rig.startCulvertClients();
            assertMeshPasses(rig, "culvert server, culvert clients");
            assertBobHasTheScriptsRoute(rig, "culvert server");
            String connects = Files.readString(dir.resolve("connect.log"));
            assertTrue(connects.contains("connect alice 10.77.0.") && connects.contains("connect bob 10.77.0."),
                    () -> "client-connect saw the usernames and pool addresses:\n" + connects);
            assertTrue(connects.lines().anyMatch(l -> l.matches("disconnect (alice|bob) [1-9]\\d* [1-9]\\d*")),
                    () -> "client-disconnect saw the byte counts:\n" + connects);
            assertTrue(connects.lines().anyMatch(l -> l.matches("learn add 10\\.77\\.0\\.\\d+ alice"))
                    && connects.lines().anyMatch(l -> l.matches("learn delete 10\\.77\\.0\\.\\d+")),
                    () -> "learn-address saw the pool addresses come and go:\n" + connects);
            String calls = Files.readString(dir.resolve("verify-calls.log"));
            assertTrue(calls.lines().allMatch(l -> l.matches("(alice|bob) user-pass-verify 10\\.201\\.[12]\\.2 600")),
                    () -> "the script saw the username, script_type, untrusted_ip and a 0600 file:\n" + calls);
            assertTrue(calls.lines().count() >= 4 && calls.contains("alice ") && calls.contains("bob "),
                    () -> "each of the 4 logins ran the script:\n" + calls);
            try (var leftovers = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertFalse(leftovers.anyMatch(p -> p.getFileName().toString().startsWith("culvert_up_")),
                        "the credentials file is deleted after the script ran");
            }

            Files.writeString(dir.resolve("wrong.txt"), "alice\nqueen-of-hearts\n");
            Path wrong = dir.resolve("wrong.ovpn");
            Files.writeString(wrong, Files.readString(rig.clientConfig(1)).replace(dir.resolve("creds1.txt").toString(),
                    dir.resolve("wrong.txt").toString()));
            try (OpenvpnProcess bad = OpenvpnProcess.stock(rig.clientNs(1), wrong, dir)) {
                assertTrue(bad.process().waitFor(30, TimeUnit.SECONDS), () -> "wrong password: still running\n" + bad.logTail(20));
                assertTrue(bad.log().contains("AUTH_FAILED"), () -> bad.logTail(30));
                assertFalse(bad.log().contains("Initialization Sequence Completed"), () -> bad.logTail(30));
            }
            assertTrue(rig.server().log().contains("username/password refused"), () -> rig.serverLogTail(30));
            assertFalse(rig.server().log().contains("queen-of-hearts"), "a password reached the server log");
            assertTrue(rig.clientNs(2).ping(Scenario.SERVER_TUNNEL_ADDR, 3).noLoss(), "bob stays connected");
        }
    }

    private static void assertBobHasTheScriptsRoute(MultiClientRig rig, String server) {
        String bob = rig.clientNs(2).exec(Duration.ofSeconds(10), "ip", "route", "show", "10.123.0.0/16").output();
        String alice = rig.clientNs(1).exec(Duration.ofSeconds(10), "ip", "route", "show", "10.123.0.0/16").output();
        assertTrue(bob.contains("10.123.0.0/16"), () -> server + ": bob lacks the route client-connect pushed:\n" + bob
                + "\nserver:\n" + rig.serverLogTail(30));
        assertFalse(alice.contains("10.123.0.0/16"), () -> server + ": alice got bob's route:\n" + alice);
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static void assertMeshPasses(MultiClientRig rig, String what) {
        List<MultiClientRig.PingCheck> mesh = rig.pingMesh(3);
        assertTrue(mesh.stream().filter(p -> p.to().equals(Scenario.SERVER_TUNNEL_ADDR)).allMatch(p -> p.result().noLoss()),
                () -> what + ": " + mesh + "\nserver:\n" + rig.serverLogTail(30));
        System.out.println("password login, " + what + ": " + mesh);
    }

    /** The profile without its {@code <cert>} and {@code <key>} blocks: these users have only a password. */
    private static String withoutCertificate(String profile) {
        String out = profile.replaceAll("(?s)<cert>.*?</cert>\\n?", "").replaceAll("(?s)<key>.*?</key>\\n?", "");
        if (out.contains("<cert>") || out.contains("BEGIN PRIVATE KEY") || out.lines().anyMatch(l -> l.startsWith("cert "))) {
            throw new UncheckedIOException(new IOException("profile still carries a certificate:\n" + out));
        }
        return out;
    }
}
