package io.culvert.engine.server.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.server.pool.PoolSpec.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolPersistenceTest {
    static final PoolSpec NET30_V6 = PoolSpec.ipv4(Mode.NET30, "10.8.0.4", "10.8.0.251", null, null)
            .withIpv6("fd00:8::1000", 64, "fd00:8::1");

    @Test
    void net30StoresTheSlash30BaseAndIpv6(@TempDir Path dir) throws Exception {
        AddressPool pool = new AddressPool(NET30_V6);
        pool.acquire("alice", false).orElseThrow();
        pool.acquire("bob", false).orElseThrow();
        PoolPersistence file = new PoolPersistence(dir.resolve("ipp.txt"), 600);
        file.save(pool);
        assertEquals("alice,10.8.0.4,fd00:8::1000\nbob,10.8.0.8,fd00:8::1001\n", Files.readString(file.file()));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count());
        }
    }

    @Test
    void roundTripRestoresAffinity(@TempDir Path dir) throws Exception {
        PoolPersistence file = new PoolPersistence(dir.resolve("ipp.txt"), 600);
        Files.writeString(file.file(), "# comment\n; also comment\nalice,10.8.0.8\n\nbroken line\nbob,,fd00:8::1002\n");
        AddressPool pool = new AddressPool(NET30_V6);
        assertEquals(2, file.load(pool));
        assertEquals("ifconfig 10.8.0.6 10.8.0.5", pool.acquire("carol", false).orElseThrow().ifconfigOption());
        assertEquals("ifconfig 10.8.0.10 10.8.0.9", pool.acquire("alice", false).orElseThrow().ifconfigOption());
        assertEquals("ifconfig 10.8.0.14 10.8.0.13", pool.acquire("bob", false).orElseThrow().ifconfigOption());
        file.save(pool);
        AddressPool again = new AddressPool(NET30_V6);
        assertEquals(3, file.load(again));
        assertEquals(pool.entries(), again.entries());
    }

    @Test
    void unclaimedHintsGoLastButAreNotFixed() {
        AddressPool pool = new AddressPool(PoolSpec.ipv4(Mode.SUBNET, "10.8.0.2", "10.8.0.3", "255.255.255.0", null));
        pool.restore(PoolPersistence.parse("alice,10.8.0.2\n"), false);
        assertEquals("10.8.0.3", pool.acquire("bob", false).orElseThrow().address().getHostAddress());
        assertEquals("10.8.0.2", pool.acquire("carol", false).orElseThrow().address().getHostAddress());
    }

    @Test
    void zeroSecondsIsReadOnlyAndFixed(@TempDir Path dir) throws Exception {
        PoolPersistence file = new PoolPersistence(dir.resolve("ipp.txt"), 0);
        Files.writeString(file.file(), "alice,10.8.0.2\n");
        AddressPool pool = new AddressPool(PoolSpec.ipv4(Mode.SUBNET, "10.8.0.2", "10.8.0.3", "255.255.255.0", null));
        assertEquals(1, file.load(pool));
        assertEquals("10.8.0.3", pool.acquire("bob", false).orElseThrow().address().getHostAddress());
        assertTrue(pool.acquire("carol", false).isEmpty());
        assertEquals("10.8.0.2", pool.acquire("alice", false).orElseThrow().address().getHostAddress());
        file.save(pool);
        assertEquals("alice,10.8.0.2\n", Files.readString(file.file()));
        assertTrue(file.readOnly());
        assertFalse(file.saveDue(1_000_000, 0));
    }

    @Test
    void saveIsDueAfterTheInterval() {
        PoolPersistence file = new PoolPersistence(Path.of("ipp.txt"), 600);
        assertFalse(file.saveDue(599_999, 0));
        assertTrue(file.saveDue(600_000, 0));
    }

    @Test
    void missingFileLoadsNothingAndBadNamesAreNotWritten(@TempDir Path dir) throws Exception {
        assertEquals(0, new PoolPersistence(dir.resolve("none.txt"), 600).load(new AddressPool(NET30_V6)));
        assertEquals("ok,10.8.0.4\n", PoolPersistence.format(List.of(
                new PoolPersistence.Entry("ok", java.net.Inet4Address.ofLiteral("10.8.0.4"), null),
                new PoolPersistence.Entry("a,b", java.net.Inet4Address.ofLiteral("10.8.0.8"), null))));
    }
}
