package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.api.FlowEdge;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet tables on the test PostgreSQL: registry with heartbeats, non-overlapping pools, revocations with NOTIFY. */
class FleetRepositoryTest {
    private static final Instant T1 = Instant.parse("2026-12-07T07:00:00Z");

    @TempDir
    Path tmp;
    private Backend.Target target;
    private Store store;
    private FleetRepository fleet;

    @BeforeEach
    void open() {
        target = Backend.POSTGRESQL.target(tmp);
        store = target.open();
        fleet = store.fleet();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void serversRegisterOnTheirFirstHeartbeatAndKeepTheirRegistrationTime() {
        fleet.heartbeat("berlin", T1);
        fleet.heartbeat("lisbon", T1.plusSeconds(1));
        FleetServer berlin = fleet.heartbeat("berlin", T1.plusSeconds(30));
        assertEquals(T1, berlin.registeredAt());
        assertEquals(T1.plusSeconds(30), berlin.heartbeatAt());
        assertEquals(List.of("berlin", "lisbon"), fleet.servers().stream().map(FleetServer::name).toList());
    }

    @Test
    void overlappingPoolIsRefusedNamingItsOwnerAndNothingChanges() {
        fleet.heartbeat("berlin", T1);
        fleet.heartbeat("lisbon", T1);
        fleet.claimPool("berlin", "10.8.0.0/24");
        assertEquals(List.of("10.8.1.0/24"), fleet.claimPool("lisbon", "10.8.1.0/24").pools());
        for (String overlapping : new String[] {"10.8.0.128/25", "10.8.0.0/16", "10.8.0.0/24"}) {
            StoreException e = assertThrows(StoreException.class, () -> fleet.claimPool("lisbon", overlapping));
            assertEquals(StoreException.Kind.DUPLICATE, e.kind(), overlapping);
            assertTrue(e.getMessage().contains("10.8.0.0/24") && e.getMessage().contains("berlin"), e.getMessage());
        }
        assertEquals(List.of("10.8.0.0/24"), fleet.find("berlin").orElseThrow().pools());
        assertEquals(List.of("10.8.1.0/24"), fleet.find("lisbon").orElseThrow().pools());
        assertEquals(StoreException.Kind.INVALID, assertThrows(StoreException.class, () -> fleet.claimPool("lisbon", "10.9.0.1/24")).kind());
        assertEquals(StoreException.Kind.NOT_FOUND, assertThrows(StoreException.class, () -> fleet.claimPool("paris", "10.9.0.0/24")).kind());
        assertTrue(fleet.releasePool("berlin", "10.8.0.0/24"));
        assertEquals(List.of("10.8.0.128/25"), fleet.claimPool("lisbon", "10.8.0.128/25").pools().subList(0, 1));
    }

    @Test
    void twoServersClaimingOverlappingPoolsAtOnceCannotBothWin() throws Exception {
        fleet.heartbeat("berlin", T1);
        fleet.heartbeat("lisbon", T1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Store other = target.open()) {
            for (int round = 0; round < 20; round++) {
                String a = "10.20." + round + ".0/24";
                String b = "10.20." + round + ".128/25";
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> claims = new ArrayList<>();
                claims.add(pool.submit(() -> claim(go, fleet, "berlin", a)));
                claims.add(pool.submit(() -> claim(go, other.fleet(), "lisbon", b)));
                go.countDown();
                int won = 0;
                for (Future<Boolean> f : claims) {
                    won += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> all = fleet.servers().stream().flatMap(s -> s.pools().stream()).toList();
        assertEquals(20, all.size(), all.toString());
    }

    private static boolean claim(CountDownLatch go, FleetRepository fleet, String server, String network) throws InterruptedException {
        go.await();
        try {
            fleet.claimPool(server, network);
            return true;
        } catch (StoreException e) {
            assertEquals(StoreException.Kind.DUPLICATE, e.kind(), e.getMessage());
            return false;
        }
    }

    @Test
    void aRevocationCommittedByOneStoreIsAnnouncedToAnotherThatListens() {
        try (Store admin = target.open(); FleetRepository.FleetFeed feed = fleet.listen()) {
            assertTrue(feed.await(Duration.ofMillis(10)).isEmpty());
            BigInteger serial = new BigInteger("abcdef0123456789", 16);
            FleetRevocation r = admin.fleet().revoke(serial, "laptop-7", T1);
            assertEquals(new FleetRevocation(serial, "laptop-7", T1), r);
            assertEquals(List.of(new FleetEvent.Revoked(serial)), feed.await(Duration.ofSeconds(60)));
            assertEquals(r, admin.fleet().revoke(serial, "laptop-7", T1.plusSeconds(5)), "the first revocation is kept");
            assertEquals(List.of(r), fleet.revocations());
        }
    }

    @Test
    void aRouteChangeIsStoredAndAnnouncedAndABadRouteChangesNothing() {
        try (Store admin = target.open(); FleetRepository.FleetFeed feed = fleet.listen()) {
            FleetClient set = admin.fleet().setRoutes("laptop-7", List.of("192.168.50.0/24", "fd00:50::/64"), T1);
            assertEquals(new FleetClient("laptop-7", List.of("192.168.50.0/24", "fd00:50::/64"), T1), set);
            assertEquals(List.of(new FleetEvent.ClientChanged("laptop-7")), feed.await(Duration.ofSeconds(60)));
            assertEquals(StoreException.Kind.INVALID,
                    assertThrows(StoreException.class, () -> admin.fleet().setRoutes("laptop-7", List.of("192.168.60.0"), T1)).kind());
            assertEquals(set, fleet.client("laptop-7").orElseThrow());
            assertEquals(List.of(), admin.fleet().setRoutes("laptop-7", List.of(), T1.plusSeconds(1)).routes());
            assertTrue(fleet.client("phone-2").isEmpty());
        }
    }

    @Test
    void eachServersReportReplacesItsLastOneAndLeavesTheOthers() {
        fleet.heartbeat("berlin", T1);
        fleet.heartbeat("lisbon", T1);
        FleetInstance a = new FleetInstance("berlin", 0, "laptop-7", "198.51.100.7:40001", List.of("10.8.0.2"), T1, 10, 20);
        FleetInstance b = new FleetInstance("berlin", 1, "phone-2", "198.51.100.8:40002", List.of(), T1, 0, 0);
        FleetInstance c = new FleetInstance("lisbon", 0, "desk-1", "203.0.113.9:1194", List.of("10.8.1.2", "192.168.9.0/24"), T1, 5, 6);
        fleet.report("berlin", T1.plusSeconds(5), List.of(a, b), List.of(new FleetFlow("berlin", 0, 1, FlowEdge.Kind.CLIENT_TO_CLIENT, 3, 300)));
        fleet.report("lisbon", T1.plusSeconds(6), List.of(c), List.of(new FleetFlow("lisbon", 0, -1, FlowEdge.Kind.UNICAST_VIA_SERVER, 1, 84)));
        assertEquals(List.of(a, b, c), fleet.instances());
        fleet.report("berlin", T1.plusSeconds(10), List.of(b), List.of());
        assertEquals(List.of(b, c), fleet.instances());
        assertEquals(List.of(new FleetFlow("lisbon", 0, -1, FlowEdge.Kind.UNICAST_VIA_SERVER, 1, 84)), fleet.flows());
        assertEquals(T1.plusSeconds(10), fleet.find("berlin").orElseThrow().reportedAt());
        assertEquals(StoreException.Kind.NOT_FOUND, assertThrows(StoreException.class, () -> fleet.report("paris", T1, List.of(), List.of())).kind());
    }

    @Test
    void eachServerKnowsTheOthersPoolsAndReportsItsTrafficToThemReplacedByItsNextReport() {
        fleet.heartbeat("berlin", T1);
        fleet.heartbeat("lisbon", T1);
        fleet.claimPool("berlin", "10.8.0.0/24");
        fleet.claimPool("lisbon", "10.8.1.0/24");
        fleet.claimPool("lisbon", "10.8.2.0/24");
        assertEquals(List.of("10.8.1.0/24", "10.8.2.0/24"), fleet.poolsOfOthers("berlin"));
        assertEquals(List.of("10.8.0.0/24"), fleet.poolsOfOthers("lisbon"));
        FleetRemoteFlow toLisbon = new FleetRemoteFlow("berlin", 0, "10.8.1.2", 4, 336);
        FleetRemoteFlow back = new FleetRemoteFlow("lisbon", 0, "10.8.0.2", 4, 336);
        fleet.report("berlin", T1.plusSeconds(5), List.of(), List.of(), List.of(toLisbon, new FleetRemoteFlow("berlin", 1, "10.8.1.3", 1, 60)));
        fleet.report("lisbon", T1.plusSeconds(5), List.of(), List.of(), List.of(back));
        assertEquals(List.of(toLisbon, new FleetRemoteFlow("berlin", 1, "10.8.1.3", 1, 60), back), fleet.remoteFlows());
        fleet.report("berlin", T1.plusSeconds(10), List.of(), List.of()); // a report without them clears them
        assertEquals(List.of(back), fleet.remoteFlows());
        assertTrue(fleet.forget("lisbon"));
        assertEquals(List.of(), fleet.remoteFlows());
    }

    @Test
    void eachServerKeepsTheAddressesItRegisteredInOrderUntilItRegistersOthers() {
        fleet.heartbeat("berlin", T1);
        fleet.heartbeat("lisbon", T1);
        assertEquals(List.of(), fleet.find("berlin").orElseThrow().remotes(), "none registered yet");
        List<FleetRemote> berlin = List.of(new FleetRemote("vpn.berlin.example", 443, "tcp"), new FleetRemote("192.0.2.1", 1194, "udp"),
                new FleetRemote("2001:db8::1", 1194, "udp"));
        assertEquals(berlin, fleet.registerRemotes("berlin", berlin).remotes());
        fleet.registerRemotes("lisbon", List.of(new FleetRemote("203.0.113.9", 1195, "udp")));
        assertEquals(berlin, fleet.heartbeat("berlin", T1.plusSeconds(3)).remotes(), "a heartbeat keeps them");
        assertEquals(List.of(berlin, List.of(new FleetRemote("203.0.113.9", 1195, "udp"))),
                fleet.servers().stream().map(FleetServer::remotes).toList());
        fleet.registerRemotes("berlin", List.of(new FleetRemote("192.0.2.2", 1194, "udp")));
        assertEquals(List.of(new FleetRemote("192.0.2.2", 1194, "udp")), fleet.find("berlin").orElseThrow().remotes(), "replaced");
        assertEquals(StoreException.Kind.NOT_FOUND,
                assertThrows(StoreException.class, () -> fleet.registerRemotes("paris", List.of())).kind());
    }

    @Test
    void theFleetHasOneCaAndEveryIssuedCertificateIsRecordedOnce() {
        assertTrue(fleet.ca().isEmpty());
        assertEquals("PEM-A", fleet.publishCa("PEM-A", T1));
        assertEquals("PEM-A", fleet.publishCa("PEM-A", T1.plusSeconds(1)));
        assertEquals(StoreException.Kind.DUPLICATE, assertThrows(StoreException.class, () -> fleet.publishCa("PEM-B", T1)).kind());
        FleetCertificate cert = new FleetCertificate(BigInteger.valueOf(0x1234), "laptop-7", T1, T1.plusSeconds(86400), "CERT");
        fleet.recordIssued(cert);
        assertEquals(StoreException.Kind.DUPLICATE, assertThrows(StoreException.class, () -> fleet.recordIssued(cert)).kind());
        assertEquals(List.of(cert), fleet.issued());
    }

    @Test
    void aSqliteStoreHasNoFleet() throws Exception {
        try (Store sqlite = Backend.SQLITE.target(tmp).open()) {
            assertEquals(StoreException.Kind.INVALID, assertThrows(StoreException.class, sqlite::fleet).kind());
        }
    }

    @Test
    void aClientsStaticAddressIsInsideItsServersPoolUniqueThereAndAnnounced() {
        fleet.heartbeat("berlin", T1);
        fleet.claimPool("berlin", "10.8.0.0/24");
        fleet.heartbeat("lisbon", T1);
        fleet.claimPool("lisbon", "10.9.0.0/24");
        fleet.setRoutes("laptop", List.of("10.20.0.0/16"), T1);
        try (Store admin = target.open(); FleetRepository.FleetFeed feed = fleet.listen()) {
            FleetClient laptop = admin.fleet().setAddress("laptop", "berlin", "10.8.0.50", T1.plusSeconds(1));
            assertEquals(java.util.Map.of("berlin", "10.8.0.50"), laptop.addresses());
            assertEquals(List.of("10.20.0.0/16"), laptop.routes(), "its routes stay");
            assertEquals(List.of(new FleetEvent.ClientChanged("laptop")), feed.await(Duration.ofSeconds(60)));
            admin.fleet().setAddress("laptop", "lisbon", "10.9.0.50", T1.plusSeconds(2));
            assertEquals("10.9.0.50", fleet.client("laptop").orElseThrow().addressOn("lisbon"));
            // A client with an address and no routes exists too.
            assertEquals("10.8.0.51", admin.fleet().setAddress("phone", "berlin", "10.8.0.51", T1).addressOn("berlin"));
        }
        StoreException outside = assertThrows(StoreException.class, () -> fleet.setAddress("phone", "berlin", "10.9.0.7", T1));
        assertEquals(StoreException.Kind.INVALID, outside.kind());
        assertEquals("10.9.0.7 is not in the IPv4 pool of server 'berlin' (10.8.0.0/24)", outside.getMessage());
        StoreException taken = assertThrows(StoreException.class, () -> fleet.setAddress("phone", "berlin", "10.8.0.50", T1));
        assertEquals(StoreException.Kind.DUPLICATE, taken.kind());
        assertEquals(StoreException.Kind.INVALID,
                assertThrows(StoreException.class, () -> fleet.setAddress("phone", "berlin", "fd00::5", T1)).kind());
        assertEquals(StoreException.Kind.NOT_FOUND,
                assertThrows(StoreException.class, () -> fleet.setAddress("phone", "paris", "10.8.0.9", T1)).kind());
        assertEquals("10.8.0.51", fleet.client("phone").orElseThrow().addressOn("berlin"), "a refused change changes nothing");
        fleet.setAddress("laptop", "berlin", null, T1.plusSeconds(3));
        assertEquals(java.util.Map.of("lisbon", "10.9.0.50"), fleet.client("laptop").orElseThrow().addresses());
        fleet.forget("lisbon");
        assertTrue(fleet.client("laptop").orElseThrow().addresses().isEmpty(), "a forgotten server takes its addresses along");
    }
}
