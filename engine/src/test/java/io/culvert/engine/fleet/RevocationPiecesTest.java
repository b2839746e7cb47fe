package io.culvert.engine.fleet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.tls.RevokedSerials;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's revoked set at the TLS verify, its cache file and the route pushes, without a database. */
class RevocationPiecesTest {
    @TempDir
    Path dir;

    private static X509Certificate cert() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/ovpn/server/server.crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void aRevokedSerialIsRefusedAndAClosedDoorRefusesOnlyNewClients() throws Exception {
        X509Certificate c = cert();
        RevokedSerials r = new RevokedSerials();
        long stamp = r.refresh();
        assertDoesNotThrow(() -> r.check(c));
        r.refuseNew("the fleet's revocation list is 700 s old (database unreachable); new clients are refused");
        CertificateException closed = assertThrows(CertificateException.class, () -> r.check(c));
        assertTrue(closed.getMessage().contains("700 s old"));
        assertDoesNotThrow(() -> r.checkConnected(c), "connected clients stay");
        assertEquals(stamp, r.refresh(), "closing the door is no revocation");
        r.refuseNew(null);
        assertTrue(r.add(c.getSerialNumber()));
        assertNotEquals(stamp, r.refresh());
        CertificateException revoked = assertThrows(CertificateException.class, () -> r.checkConnected(c));
        assertTrue(revoked.getMessage().contains("revoked (fleet)"), revoked.getMessage());
        long after = r.refresh();
        r.replace(Set.of(c.getSerialNumber()));
        assertEquals(after, r.refresh(), "the same set again changes nothing");
    }

    @Test
    void theCacheKeepsSerialsAndTheirTimeAndNamesABadLine() throws Exception {
        RevocationCache cache = new RevocationCache(dir.resolve("state/revocations"));
        Instant at = Instant.ofEpochMilli(1_765_000_000_000L);
        cache.save(Set.of(BigInteger.valueOf(255), new BigInteger("123456789abcdef", 16)), at);
        RevocationCache.Snapshot s = cache.load().orElseThrow();
        assertEquals(at, s.readAt());
        assertEquals(Set.of(BigInteger.valueOf(255), new BigInteger("123456789abcdef", 16)), s.serials());
        Files.writeString(cache.file(), "read-at 1\nzz\n");
        assertTrue(assertThrows(java.io.IOException.class, cache::load).getMessage().contains("line 2"));
    }

    @Test
    void fleetRoutesArePushedAsRouteOptions() {
        assertEquals("route 10.20.0.0 255.255.0.0", FleetAdmission.push("10.20.0.0/16"));
        assertEquals("route-ipv6 fd00:20::/48", FleetAdmission.push("fd00:20::/48"));
        FleetAdmission a = new FleetAdmission((cn, peer) -> { throw new UnsupportedOperationException(); });
        assertTrue(a.set("laptop", routes("10.20.0.0/16")));
        assertTrue(!a.set("laptop", routes("10.20.0.0/16")), "the same routes again change nothing");
        assertEquals(List.of("route 10.20.0.0 255.255.0.0"), a.pushes("laptop"));
        assertTrue(a.set("laptop", routes()));
        assertEquals(List.of(), a.pushes("laptop"));
    }

    private static FleetAdmission.Settings routes(String... networks) {
        return new FleetAdmission.Settings(List.of(networks), null);
    }

    /** The server's own admission of a config, as a running server has it. */
    private static io.culvert.engine.server.Admission admissionOf(String config) throws Exception {
        String base = "port 11940\ndev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n";
        Path serverDir = Path.of("src/test/resources/ovpn/server");
        return io.culvert.engine.server.ServerPlans.from(io.culvert.engine.config.ServerConfig.from(
                io.culvert.engine.config.file.OvpnFile.parse(base + config), serverDir, false), serverDir).admission();
    }

    @Test
    void aFleetAddressIsPushedAsTheServersPoolLaysAddressesOutAndFallsBackToThePoolWhenTaken() throws Exception {
        FleetAdmission subnet = new FleetAdmission(admissionOf("server 10.8.0.0 255.255.255.0\ntopology subnet\n"));
        subnet.set("laptop", new FleetAdmission.Settings(List.of("10.20.0.0/16"), "10.8.0.50"));
        io.culvert.engine.server.Admission.Admitted laptop = subnet.admit("laptop", 1);
        assertTrue(laptop.pushes().contains("ifconfig 10.8.0.50 255.255.255.0"), laptop.pushes().toString());
        assertTrue(laptop.pushes().contains("route 10.20.0.0 255.255.0.0"), laptop.pushes().toString());
        assertEquals(List.of("10.8.0.50"), laptop.addresses().stream().map(java.net.InetAddress::getHostAddress).toList());
        assertEquals(List.of("ifconfig 10.8.0.50 255.255.255.0"), subnet.currentAddresses("laptop"));
        // The pool keeps the address for the laptop while it is connected: a second client with the same fleet
        // address (a duplicate set in two steps) gets one from the pool instead, as does a client the pool would
        // never give that address.
        subnet.set("phone", new FleetAdmission.Settings(List.of(), "10.8.0.50"));
        io.culvert.engine.server.Admission.Admitted phone = subnet.admit("phone", 2);
        assertTrue(phone.addresses().stream().noneMatch(x -> x.getHostAddress().equals("10.8.0.50")), phone.addresses().toString());
        subnet.set("tablet", new FleetAdmission.Settings(List.of(), "10.9.0.7"));
        io.culvert.engine.server.Admission.Admitted tablet = subnet.admit("tablet", 3);
        assertTrue(tablet.addresses().stream().allMatch(x -> x.getHostAddress().startsWith("10.8.0.")), tablet.addresses().toString());
        // Gone with its client, the address can be given again.
        laptop.onRelease().run();
        phone.onRelease().run();
        assertTrue(subnet.admit("phone", 4).addresses().stream().anyMatch(x -> x.getHostAddress().equals("10.8.0.50")));

        // net30: the client's address and its peer in the same /30; a block's other addresses are not client addresses.
        FleetAdmission net30 = new FleetAdmission(admissionOf("server 10.8.0.0 255.255.255.0\n"));
        net30.set("laptop", new FleetAdmission.Settings(List.of(), "10.8.0.10"));
        assertTrue(net30.admit("laptop", 1, null).pushes().contains("ifconfig 10.8.0.10 10.8.0.9"), "as the server admits");
        net30.set("phone", new FleetAdmission.Settings(List.of(), "10.8.0.13"));
        assertTrue(net30.admit("phone", 2).pushes().stream().noneMatch(p -> p.startsWith("ifconfig 10.8.0.13")));
    }
}
