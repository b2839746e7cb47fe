package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.client.PushedConfig;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenVPN 2.7 bounds {@code ping}, {@code ping-restart}, {@code ping-exit} and both {@code keepalive} values at one day
 * ({@code PING_TIMEOUT_MAX}, 86400 s) and refuses a config beyond it ("Options error: … Must be an integer between …");
 * 2.6 took any positive number. Culvert is as strict as 2.7: each line stock 2.7.6 refuses, Culvert refuses naming the
 * line; each it accepts, Culvert accepts; a push beyond the bound fails the pull.
 */
@Openvpn27Test
@ControlPlaneOnly
class PingLimitsInteropTest {
    private static final List<String> REFUSED = List.of("keepalive 10 100000", "keepalive 0 10", "ping 86401", "ping-restart -1",
            "ping-exit 90000", "ping abc");
    private static final List<String> ACCEPTED = List.of("keepalive 10 86400", "ping 86400", "ping-restart 0", "ping-exit 86400");
    private static final String CLIENT = "client\ndev tun\nremote 192.0.2.1\n<ca>\n-----BEGIN CERTIFICATE-----\n</ca>\nauth-user-pass\n";

    @Test
    void culvertRefusesWhatStock27RefusesAndAcceptsWhatItAccepts(@TempDir Path dir) throws Exception {
        List<Runnable> checks = new ArrayList<>();
        for (String line : REFUSED) {
            String stock = stockOptionsError(dir, line);
            OvpnParseException e = assertThrows(OvpnParseException.class,
                    () -> ClientConfig.from(OvpnFile.parse(CLIENT + line + "\n"), null, false), line);
            checks.add(() -> assertFalse(stock.isEmpty(), "stock 2.7 accepted '" + line + "'"));
            checks.add(() -> assertTrue(e.getMessage().startsWith("line 8: "), line + ": " + e.getMessage()));
        }
        for (String line : ACCEPTED) {
            String stock = stockOptionsError(dir, line);
            checks.add(() -> assertEquals("", stock, "stock 2.7 refused '" + line + "'"));
            ClientConfig.from(OvpnFile.parse(CLIENT + line + "\n"), null, false);
        }
        assertAll(checks.stream().map(r -> r::run));
    }

    @Test
    void aServerKeepaliveBeyondADayIsRefusedAndAPushBeyondItFailsThePull(@TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        String config = scenario.serverConfig(TestPki.create(dir.resolve("pki")), "10.0.0.1", 1194);
        assertTrue(config.contains("keepalive "), config);
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ServerConfig.from(OvpnFile.parse(config.replaceAll("keepalive [0-9]+ [0-9]+", "keepalive 10 86401")), dir, false));
        assertTrue(e.getMessage().contains("86401 is out of range 1..86400"), e.getMessage());
        assertThrows(Exception.class, () -> PushedConfig.from(List.of(List.of("ping-restart", "86401"))));
        assertEquals(86400, PushedConfig.from(List.of(List.of("ping-restart", "86400"))).pingRestart());
    }

    /** Runs stock 2.7 with {@code line} on its command line; its "Options error" line, or "" when it started. */
    private static String stockOptionsError(Path dir, String line) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(StockOpenvpn.openvpn27().toString(), "--dev", "null", "--verb", "3",
                "--allow-deprecated-insecure-static-crypto"));
        for (String word : line.split(" ")) {
            argv.add(argv.size() == 6 ? "--" + word : word);
        }
        Path out = Files.createTempFile(dir, "stock", ".log");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> l.contains("Options error")).findFirst().orElse("");
    }
}
