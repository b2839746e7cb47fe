package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;

class StockOpenvpnTest {

    @Test
    void peerIsDebiansUnlessTheVariableNamesAnother() {
        assertEquals(Path.of("/usr/sbin/openvpn"), StockOpenvpn.peer(Map.<String, String>of()::get));
        assertEquals(Path.of("/usr/sbin/openvpn"), StockOpenvpn.peer(Map.of("CULVERT_STOCK_OPENVPN", " ")::get));
        assertEquals(Path.of("/opt/ovpn/sbin/openvpn"),
                StockOpenvpn.peer(Map.of("CULVERT_STOCK_OPENVPN", "/opt/ovpn/sbin/openvpn")::get));
    }

    @Test
    void missing27BinaryNamesTheVariableAndHowToBuildIt(@TempDir Path dir) {
        Path absent = dir.resolve("no-openvpn");
        String why = StockOpenvpn.why27Missing(Map.of("CULVERT_OPENVPN_27", absent.toString())::get).orElseThrow();
        assertTrue(why.startsWith("CULVERT_OPENVPN_27=" + absent + " is not an executable"), why);
        assertTrue(why.contains("shared/openvpn/build.sh"), why);
    }

    @Test
    void a26BinaryIsNotTaken27(@TempDir Path dir) throws IOException {
        Path old = fakeOpenvpn(dir, "OpenVPN 2.6.14 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [AEAD] [DCO]");
        String why = StockOpenvpn.why27Missing(Map.of("CULVERT_OPENVPN_27", old.toString())::get).orElseThrow();
        assertTrue(why.contains("is 'OpenVPN 2.6.14 x86_64-pc-linux-gnu"), why);
        assertTrue(why.contains("not OpenVPN 2.7 or later"), why);
    }

    @Test
    void a27BinaryIsTaken(@TempDir Path dir) throws IOException {
        Path v27 = fakeOpenvpn(dir, "OpenVPN 2.7.6 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [AEAD] [DCO]");
        assertEquals(Optional.empty(), StockOpenvpn.why27Missing(Map.of("CULVERT_OPENVPN_27", v27.toString())::get));
        assertEquals(v27, StockOpenvpn.openvpn27(Map.of("CULVERT_OPENVPN_27", v27.toString())::get));
        assertEquals("OpenVPN 2.7.6 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [AEAD] [DCO]",
                StockOpenvpn.version(v27));
    }

    @Test
    void conditionSkipsWithTheReasonOutsideCiAndRunsIntoFailureInCi() {
        Optional<String> missing = Optional.of("CULVERT_OPENVPN_27 is not set and /x does not exist; build it");
        ConditionEvaluationResult local = Openvpn27Condition.result(missing, false);
        assertTrue(local.isDisabled());
        assertEquals(Optional.of("OpenVPN 2.7 test skipped: " + missing.get()), local.getReason());
        assertFalse(Openvpn27Condition.result(missing, true).isDisabled());
        assertFalse(Openvpn27Condition.result(Optional.empty(), false).isDisabled());
    }

    @Test
    void readsVersionNumbers() {
        assertArrayEquals(new int[] {2, 7, 6}, StockOpenvpn.versionNumbers("OpenVPN 2.7.6 x86_64-pc-linux-gnu [SSL]"));
        assertArrayEquals(new int[] {2, 7}, StockOpenvpn.versionNumbers("OpenVPN 2.7_rc2 x86_64-pc-linux-gnu"));
        assertArrayEquals(new int[0], StockOpenvpn.versionNumbers("openvpn: command not found"));
    }

    private static Path fakeOpenvpn(Path dir, String versionLine) throws IOException {
        Path script = dir.resolve("openvpn");
        Files.writeString(script, "#!/bin/sh\necho '" + versionLine + "'\necho 'Originally developed by James Yonan'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
