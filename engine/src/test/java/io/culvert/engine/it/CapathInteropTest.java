package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capath}: the CA given as an {@code openssl rehash} folder instead of {@code ca}, against a stock server,
 * each case run with stock openvpn on the same profile too. The CA and its CRL in the folder verify the server; a CRL
 * there that lists the server's certificate refuses it; a folder without a CRL verifies it with a warning (OpenVPN
 * turns on CRL checks with capath, and its verify callback logs and ignores "unable to get certificate CRL").
 */
@NetnsTest
@ControlPlaneOnly
class CapathInteropTest {
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(10);

    @Test
    void aHashedCaFolderVerifiesAndItsCrlRevokes(@TempDir Path dir) throws Exception {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            String withoutCa = Files.readString(rig.clientConfig()).replaceAll("(?s)<ca>.*?</ca>\n", "");
            assertFalse(withoutCa.contains("<ca>"), withoutCa);

            Path good = hashedFolder(dir.resolve("capath-good"), rig, rig.pki().writeCrl(dir.resolve("empty.crl")));
            Path profile = dir.resolve("capath-good.ovpn");
            Files.writeString(profile, withoutCa + "capath " + good + "\n");
            try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), profile, dir).awaitInitialized(InteropRig.STARTUP)) {
                assertTrue(stock.log().contains("capath"), () -> stock.logTail(20));
            }
            try (OpenvpnProcess culvert = OpenvpnProcess.culvertClient(rig.clientNs(), profile, dir).awaitInitialized(InteropRig.STARTUP)) {
                assertTrue(rig.pingServer(2).received() > 0, () -> culvert.logTail(20));
            }

            Path revoked = hashedFolder(dir.resolve("capath-revoked"), rig,
                    rig.pki().writeCrl(dir.resolve("revoked.crl"), rig.pki().serverCert()));
            refusedByBoth(rig, dir, "capath-revoked", withoutCa + "capath " + revoked + "\n", "revoked");

            Path noCrl = hashedFolder(dir.resolve("capath-nocrl"), rig, null);
            Path noCrlProfile = dir.resolve("capath-nocrl.ovpn");
            Files.writeString(noCrlProfile, withoutCa + "capath " + noCrl + "\n");
            try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), noCrlProfile, dir).awaitInitialized(InteropRig.STARTUP)) {
                assertTrue(stock.log().contains("unable to get certificate CRL"), () -> stock.logTail(20));
            }
            try (OpenvpnProcess culvert = OpenvpnProcess.command(rig.clientNs(), dir, dir.resolve("culvert-nocrl.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", noCrlProfile.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                assertTrue(culvert.log().contains("unable to get certificate CRL"), () -> culvert.logTail(20));
                assertTrue(rig.pingServer(2).received() > 0, () -> culvert.logTail(20));
            }
        }
    }

    /** A folder with the CA (and {@code crl} unless null) under their {@code openssl rehash} names. */
    private static Path hashedFolder(Path folder, InteropRig rig, Path crl) throws Exception {
        Files.createDirectories(folder);
        Files.copy(rig.pki().ca(), folder.resolve("ca.pem"));
        if (crl != null) {
            Files.copy(crl, folder.resolve("crl.pem"));
        }
        ExecResult r = rig.serverNs().exec(Duration.ofSeconds(10), "openssl", "rehash", folder.toString());
        String names;
        try (var s = Files.list(folder)) {
            names = String.join(" ", s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        System.out.println("capath " + folder.getFileName() + ": " + names + " " + r.output().strip());
        assertTrue(names.matches(".*[0-9a-f]{8}\\.0.*"), names);
        return folder;
    }

    private static void refusedByBoth(InteropRig rig, Path dir, String name, String profileText, String culvertSays) throws Exception {
        Path profile = dir.resolve(name + ".ovpn");
        Files.writeString(profile, profileText);
        try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), profile, dir);
                OpenvpnProcess culvert = OpenvpnProcess.command(rig.clientNs(), dir, dir.resolve("culvert-" + name + ".log"),
                        OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", profile.toString())) {
            stock.awaitLine("VERIFY ERROR", REFUSED_WITHIN);
            culvert.awaitLine(culvertSays, REFUSED_WITHIN.plusSeconds(5));
            assertFalse(stock.log().contains(OpenvpnProcess.READY), () -> stock.logTail(20));
            assertFalse(culvert.log().contains(OpenvpnProcess.READY), () -> culvert.logTail(20));
            String stockError = stock.log().lines().filter(l -> l.contains("VERIFY ERROR")).findFirst().orElse("");
            String ourError = culvert.log().lines().filter(l -> l.contains(culvertSays)).findFirst().orElse("");
            System.out.println(name + ": stock: " + stockError + "\n" + name + ": culvert: " + ourError);
        }
    }
}
