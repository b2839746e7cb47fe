package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capath}: the CA given as an {@code openssl rehash} folder instead of {@code ca}, against a stock server,
 * each case run with stock openvpn on the same profile too. The CA and its CRL in the folder verify the server; a CRL
 * there that lists the server's certificate refuses it; a folder without a CRL verifies it with a warning (OpenVPN
 * turns on CRL checks with capath, and its verify callback logs and ignores "unable to get certificate CRL").
 * As a server, with {@code X509_V_FLAG_CRL_CHECK_ALL} the CRLs in the folder are checked for every certificate of a
 * client's chain: a stock server and a Culvert server on the same config refuse the same clients of an intermediate CA.
 */
@NetnsTest
@ControlPlaneOnly
class CapathInteropTest {
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(10);
    /** The capath servers' port and tunnel address, beside the rig's own server. */
    private static final int SERVER_PORT = InteropRig.PORT + 1;
    private static final String SERVER_TUNNEL = "10.78.0.1";

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

    /**
     * A client certificate signed by an intermediate CA, with the root, the intermediate and both CRLs in the server's
     * capath: when the root's CRL revokes the intermediate, or the intermediate's CRL revokes the client, the client
     * is refused (at depth 1 and 0) by a stock server and by a Culvert server running the same config; with both CRLs
     * empty the same client connects to both.
     */
    @Test
    void aCapathServerRefusesClientsOfARevokedIntermediateAsStockDoes(@TempDir Path dir) throws Exception {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            TestPki pki = rig.pki();
            TestPki.Intermediate sub = pki.issueIntermediate("sub-ca");
            Path[] client = sub.issueClient("sub-client");
            Path[] revokedClient = sub.issueClient("sub-revoked");
            Path rootEmpty = pki.writeCrl(dir.resolve("root-empty.crl"));
            Path subEmpty = sub.writeCrl(dir.resolve("sub-empty.crl"));
            List<Path> cas = List.of(pki.ca(), sub.cert());
            Path open = hashedFolder(dir.resolve("srv-open"), rig, cas, List.of(rootEmpty, subEmpty));
            Path subRevoked = hashedFolder(dir.resolve("srv-sub-revoked"), rig, cas,
                    List.of(pki.writeCrl(dir.resolve("root-revokes-sub.crl"), sub.cert()), subEmpty));
            Path leafRevoked = hashedFolder(dir.resolve("srv-leaf-revoked"), rig, cas,
                    List.of(rootEmpty, sub.writeCrl(dir.resolve("sub-revokes-client.crl"), revokedClient[0])));
            for (boolean culvert : new boolean[] {false, true}) {
                String who = culvert ? "culvert" : "stock";
                try (OpenvpnProcess server = startServer(rig, dir, who + "-open", open, culvert);
                        OpenvpnProcess c = startClient(rig, dir, who + "-open-client", client)) {
                    c.awaitInitialized(InteropRig.STARTUP);
                    assertTrue(rig.clientNs().ping(SERVER_TUNNEL, 2).received() > 0, () -> server.logTail(20));
                }
                refusedByServer(rig, dir, who + "-sub-revoked", subRevoked, culvert, client, "depth=1");
                refusedByServer(rig, dir, who + "-leaf-revoked", leafRevoked, culvert, revokedClient, "depth=0");
            }
        }
    }

    /**
     * Starts a stock ({@code culvert} false) or Culvert server on the scenario's server config with {@code capath}
     * in place of {@code ca}, on its own port and tunnel network beside the rig's server, and waits until it is up.
     */
    private static OpenvpnProcess startServer(InteropRig rig, Path dir, String name, Path capath, boolean culvert)
            throws Exception {
        String conf = rig.scenario().serverConfig(rig.pki(), rig.serverAddr(), SERVER_PORT)
                .replaceFirst("(?m)^ca .*$", "capath " + capath)
                .replace("server 10.77.0.0 255.255.255.0", "server 10.78.0.0 255.255.255.0");
        assertTrue(conf.contains("capath ") && !conf.matches("(?s).*\\nca .*"), conf);
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, conf);
        OpenvpnProcess server = culvert
                ? OpenvpnProcess.command(rig.serverNs(), dir, dir.resolve(name + ".log"),
                        OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", file.toString())
                : OpenvpnProcess.stock(rig.serverNs(), file, dir);
        try {
            return server.awaitInitialized(InteropRig.STARTUP);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** A stock client with {@code certAndKey} for the server of {@link #startServer}; not waited for. */
    private static OpenvpnProcess startClient(InteropRig rig, Path dir, String name, Path[] certAndKey) throws Exception {
        Path profile = dir.resolve(name + ".ovpn");
        Files.writeString(profile, rig.scenario().clientConfig(rig.pki(), rig.serverAddr(), SERVER_PORT, true,
                certAndKey[0], certAndKey[1]));
        return OpenvpnProcess.stock(rig.clientNs(), profile, dir);
    }

    /** The server of {@link #startServer} on {@code capath} refuses the client, saying so at {@code depth}. */
    private static void refusedByServer(InteropRig rig, Path dir, String name, Path capath, boolean culvert,
                                        Path[] certAndKey, String depth) throws Exception {
        try (OpenvpnProcess server = startServer(rig, dir, name, capath, culvert);
                OpenvpnProcess c = startClient(rig, dir, name + "-client", certAndKey)) {
            server.awaitLine("certificate revoked", REFUSED_WITHIN);
            String said = server.log().lines().filter(l -> l.contains("certificate revoked")).findFirst().orElse("");
            System.out.println(name + ": " + said);
            assertTrue(said.contains(depth), () -> server.logTail(20));
            assertFalse(c.log().contains(OpenvpnProcess.READY), () -> c.logTail(20));
        }
    }

    /** A folder with {@code certs} and {@code crls} under their {@code openssl rehash} names. */
    private static Path hashedFolder(Path folder, InteropRig rig, List<Path> certs, List<Path> crls) throws Exception {
        Files.createDirectories(folder);
        for (Path f : certs) {
            Files.copy(f, folder.resolve(f.getFileName().toString().replace(".crt", ".pem")));
        }
        for (Path f : crls) {
            Files.copy(f, folder.resolve(f.getFileName().toString().replace(".crl", "-crl.pem")));
        }
        ExecResult r = rig.serverNs().exec(Duration.ofSeconds(10), "openssl", "rehash", folder.toString());
        try (var s = Files.list(folder)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            System.out.println("capath " + folder.getFileName() + ": " + names + " " + r.output().strip());
            assertEquals(certs.size(), names.stream().filter(n -> n.matches("[0-9a-f]{8}\\.[0-9]")).count(), names::toString);
            assertEquals(crls.size(), names.stream().filter(n -> n.matches("[0-9a-f]{8}\\.r[0-9]")).count(), names::toString);
        }
        return folder;
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
