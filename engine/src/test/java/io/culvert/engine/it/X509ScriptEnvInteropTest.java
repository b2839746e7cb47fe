package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code x509-track} and {@code x509-username-field} on the server: a stock client joins the stock server, then
 * {@code ./culvert server} with the same config, and the client-connect script records what it sees. The variables
 * must match: {@code common_name} from the serial number ({@code x509-username-field serialNumber}), and the
 * tracked {@code X509_0_CN}, {@code X509_0_SHA1} and {@code X509_0_SHA256}.
 */
@NetnsTest
@ControlPlaneOnly
class X509ScriptEnvInteropTest {
    private static final String[] COMPARED = {"common_name", "X509_0_CN", "X509_0_SHA1", "X509_0_SHA256"};

    @Test
    void scriptsSeeTheSameCertificateVariablesAsUnderStock(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("dump-env.sh");
        Files.writeString(script, "#!/bin/sh\nenv > \"" + dir + "/env-$ENV_LABEL.txt\"\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String extra = "script-security 2\nclient-connect " + script + "\nx509-track CN\nx509-track SHA1\nx509-track SHA256\n"
                + "x509-username-field serialNumber\n";
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "setenv ENV_LABEL stock\n" + extra, "")) {
            try (OpenvpnProcess client = rig.startStockClient()) {
                assertTrue(Files.exists(dir.resolve("env-stock.txt")), () -> rig.server().logTail(30));
            }
            rig.server().stop();
            Path culvertConf = dir.resolve("culvert-server.conf");
            Files.writeString(culvertConf, Files.readString(rig.serverConfig()).replace("setenv ENV_LABEL stock\n", "")
                    .replace("client-connect " + script, "client-connect \"/usr/bin/env ENV_LABEL=culvert " + script + "\""));
            try (OpenvpnProcess server = OpenvpnProcess.command(rig.serverNs(), dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", culvertConf.toString())
                    .awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess client = rig.startStockClient()) {
                assertTrue(Files.exists(dir.resolve("env-culvert.txt")), () -> server.logTail(30));
                Map<String, String> stock = env(dir.resolve("env-stock.txt"));
                Map<String, String> ours = env(dir.resolve("env-culvert.txt"));
                for (String name : COMPARED) {
                    System.out.printf("%s: stock %s, culvert %s%n", name, stock.get(name), ours.get(name));
                    assertTrue(stock.get(name) != null, name + " not set by stock: " + stock.keySet());
                    assertEquals(stock.get(name), ours.get(name), name);
                }
                assertTrue(stock.get("common_name").startsWith("0x"), stock.get("common_name"));
            }
        }
    }

    private static Map<String, String> env(Path file) throws Exception {
        Map<String, String> env = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }
}
