package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's own key material as easy-rsa and OpenSSL write it, against a stock openvpn 2.6 server: an encrypted
 * PKCS#8 key, a traditional "Proc-Type: 4,ENCRYPTED" key, a password-protected PKCS#12 file and an inline base64
 * {@code <pkcs12>}, each with {@code askpass FILE}. Every profile is first proven with stock openvpn, then run with
 * {@code ./culvert client}, which must ping through the tunnel.
 */
@NetnsTest
@ControlPlaneOnly
class EncryptedKeyInteropTest {
    private static final String PASSPHRASE = "tunnel vision 42";

    @Test
    void encryptedKeysWithAskpassConnect(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            write(dir.resolve("pass.txt"), PASSPHRASE + "\n");
            Path pkcs8 = dir.resolve("client-pkcs8.key");
            openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", rig.pki().clientKey().toString(),
                    "-out", pkcs8.toString(), "-passout", "pass:" + PASSPHRASE);
            assertTrue(read(pkcs8).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), read(pkcs8));
            Path traditional = dir.resolve("client-traditional.key");
            openssl(dir, "ec", "-aes256", "-in", rig.pki().clientKey().toString(), "-out", traditional.toString(),
                    "-passout", "pass:" + PASSPHRASE);
            assertTrue(read(traditional).contains("Proc-Type: 4,ENCRYPTED"), read(traditional));

            for (Path key : List.of(pkcs8, traditional)) {
                String name = key.getFileName().toString().replace(".key", "");
                String profile = fileProfile(rig).replace("key " + rig.pki().clientKey(), "key " + key.getFileName())
                        + "askpass pass.txt\n";
                bothConnect(rig, write(dir.resolve(name + ".conf"), profile), name);
            }
        }
    }

    @Test
    void pkcs12FilesConnect(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            write(dir.resolve("pass.txt"), PASSPHRASE + "\n");
            Path p12 = dir.resolve("client.p12");
            openssl(dir, "pkcs12", "-export", "-inkey", rig.pki().clientKey().toString(),
                    "-in", rig.pki().clientCert().toString(), "-certfile", rig.pki().ca().toString(),
                    "-out", p12.toString(), "-passout", "pass:" + PASSPHRASE);
            String withoutPem = fileProfile(rig).lines()
                    .filter(l -> !(l.startsWith("ca ") || l.startsWith("cert ") || l.startsWith("key ")))
                    .reduce("", (a, l) -> a + l + "\n");
            bothConnect(rig, write(dir.resolve("p12-file.conf"), withoutPem + "pkcs12 client.p12\naskpass pass.txt\n"),
                    "p12-file");
            String inline = "<pkcs12>\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(bytes(p12))
                    + "\n</pkcs12>\naskpass pass.txt\n";
            bothConnect(rig, write(dir.resolve("p12-inline.conf"), withoutPem + inline), "p12-inline");
        }
    }

    /** Stock openvpn, then culvert, with the same profile; each must ping the server through the tunnel. */
    private static void bothConnect(InteropRig rig, Path profile, String name) {
        try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), profile, rig.dir())) {
            stock.awaitInitialized(InteropRig.STARTUP);
            assertTrue(rig.pingServer(3).noLoss(), () -> "stock openvpn with " + name + " failed:\n" + stock.logTail(30));
            stock.stop();
        }
        try (OpenvpnProcess culvert = OpenvpnProcess.command(rig.clientNs(), rig.dir(),
                rig.dir().resolve("culvert-" + name + ".log"), OpenvpnProcess.repoRoot().resolve("culvert").toString(),
                "client", "--config", profile.toString())) {
            culvert.awaitInitialized(InteropRig.STARTUP);
            assertTrue(rig.pingServer(5).noLoss(), () -> "culvert with " + name + " failed:\n" + culvert.logTail(30));
            assertTrue(!culvert.log().contains(PASSPHRASE), "the passphrase must never be logged");
            culvert.stop();
            assertEquals(0, culvert.process().exitValue(), () -> culvert.logTail(20));
        }
    }

    private static String fileProfile(InteropRig rig) {
        String text = read(rig.clientConfigWithFiles());
        assertTrue(text.contains("key " + rig.pki().clientKey()), text);
        return text;
    }

    private static void openssl(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl hung");
            assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + ":\n" + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
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

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
