package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.CcdEntry.Iroute;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientConfigDirTest {

    @Test
    void readsTheCommonNameFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("alice"), """
                # static address and a LAN behind alice
                ifconfig-push 10.8.0.50 255.255.255.0
                ifconfig-ipv6-push fd00:8:0::50/64
                iroute 192.168.77.0 255.255.255.0
                iroute 10.1.2.3
                iroute-ipv6 fd00:77::/48
                push-reset
                push "route 192.168.88.0 255.255.255.0"
                push "dhcp-option DNS 192.168.77.1"
                inactive 3600
                iroute 192.168.77.1 255.255.255.0
                """);
        CcdEntry e = ClientConfigDir.read(dir, "alice").orElseThrow();
        assertEquals("10.8.0.50", e.ifconfigPushLocal());
        assertEquals("255.255.255.0", e.ifconfigPushRemoteOrMask());
        assertEquals("fd00:8::50/64", e.ifconfigIpv6Push());
        assertEquals(List.of(new Iroute("192.168.77.0", 24), new Iroute("10.1.2.3", 32), new Iroute("fd00:77::", 48)),
                e.iroutes());
        assertTrue(e.iroutes().get(2).ipv6());
        assertTrue(e.pushReset());
        assertFalse(e.disable());
        assertEquals(List.of("route 192.168.88.0 255.255.255.0", "dhcp-option DNS 192.168.77.1"), e.pushes());
        assertEquals(2, e.unsupported().size());
        assertTrue(e.unsupported().get(0).startsWith("line 10: 'inactive'"), e.unsupported().toString());
        assertTrue(e.unsupported().get(1).contains("line 11") && e.unsupported().get(1).contains("INVALID_VALUE"));
        assertTrue(ClientConfigDir.hasOwnFile(dir, "alice"));
    }

    @Test
    void fallsBackToDefaultFile(@TempDir Path dir) throws Exception {
        assertTrue(ClientConfigDir.read(dir, "bob").isEmpty());
        Files.writeString(dir.resolve("DEFAULT"), "disable\n");
        CcdEntry e = ClientConfigDir.read(dir, "bob").orElseThrow();
        assertTrue(e.disable());
        assertNull(e.ifconfigPushLocal());
        assertFalse(ClientConfigDir.hasOwnFile(dir, "bob"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "a/b", "..", ".", "", "x\u0000y", "a\\b", "evil..name", "tab\tname"})
    void rejectsCommonNamesThatCouldLeaveTheDirectory(String cn, @TempDir Path dir) {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ClientConfigDir.read(dir, cn));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("client-config-dir", e.directive());
    }

    @Test
    void syntaxErrorsAreThrownWithTheLine() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ClientConfigDir.parse("push-reset\npush \"route 1.2.3.4\n"));
        assertEquals(Reason.SYNTAX_ERROR, e.reason());
        assertEquals(2, e.line());
    }

    @Test
    void badValuesAreCollectedNotThrown() throws Exception {
        CcdEntry e = ClientConfigDir.parse("ifconfig-push 10.8.0.300 255.255.255.0\nifconfig-push 1 2 3 4\n");
        assertNull(e.ifconfigPushLocal());
        assertEquals(2, e.unsupported().size());
        assertTrue(e.unsupported().get(1).contains("WRONG_ARGUMENT_COUNT"));
    }

    /** push-remove in a ccd file, as OpenVPN applies it per client: every option starting with the text goes. */
    @Test
    void pushRemoveTakesInheritedAndEarlierOptionsOff() throws Exception {
        CcdEntry e = ClientConfigDir.parse("push \"route 10.5.0.0 255.255.0.0\"\npush-remove route\n"
                + "push \"route 10.9.0.0 255.255.0.0\"\n");
        assertEquals(List.of(), e.unsupported());
        List<String> server = List.of("route 10.1.0.0 255.255.0.0", "dhcp-option DNS 10.8.0.1", "route-gateway 10.8.0.1");
        assertEquals(List.of("dhcp-option DNS 10.8.0.1", "route 10.9.0.0 255.255.0.0"), e.pushesAfter(server),
                "route-gateway starts with 'route' too, as OpenVPN's strncmp match takes it");
        CcdEntry script = ClientConfigDir.parse("push-remove dhcp-option\n");
        assertEquals(List.of("route 10.9.0.0 255.255.0.0"), e.then(script).pushesAfter(server));
        assertEquals(server, CcdEntry.EMPTY.pushesAfter(server));
        assertFalse(ClientConfigDir.parse("push-remove ifconfig\n").unsupported().isEmpty(), "not applied, and said so");
    }
}
