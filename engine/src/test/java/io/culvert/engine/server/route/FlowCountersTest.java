package io.culvert.engine.server.route;

import static io.culvert.engine.server.route.TestPackets.arpRequest;
import static io.culvert.engine.server.route.TestPackets.ip;
import static io.culvert.engine.server.route.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlowCountersTest {
    private static final InstanceId A = new InstanceId(1);
    private static final InstanceId B = new InstanceId(2);
    private static final InstanceId C = new InstanceId(3);
    private static final Endpoint SERVER = Endpoint.SERVER;

    private final FlowCounters flows = new FlowCounters();

    FlowCountersTest() {
        flows.register(A);
        flows.register(B);
        flows.register(C);
    }

    @Test
    void oneBroadcastFromAInAThreeClientTapNetworkCountsOneDeliveryPerReceiver() {
        Forwarding tap = Forwarding.tap(true, new MacTable());
        List.of(A, B, C).forEach(tap::attach);
        byte[] arp = arpRequest("02:00:00:00:00:0a", "10.8.0.2", "10.8.0.3");

        flows.account(A, tap.fromInstance(A, arp, 0, arp.length, 0), arp.length);

        FlowSnapshot s = flows.snapshot();
        assertEquals(List.of(
                new FlowSample(A, SERVER, FlowKind.BROADCAST, 1, 60),
                new FlowSample(A, B, FlowKind.BROADCAST, 1, 60),
                new FlowSample(A, C, FlowKind.BROADCAST, 1, 60)), s.flows());
        assertEquals(new InstanceTotals(1, 60, 0, 0), s.instances().get(A));
        assertEquals(new InstanceTotals(0, 0, 1, 60), s.instances().get(B));
        assertEquals(new InstanceTotals(0, 0, 1, 60), s.instances().get(C));
    }

    @Test
    void clientToClientUnicastCountsThePairAndNothingToTheDevice() {
        VirtualRouter router = new VirtualRouter();
        Forwarding tun = Forwarding.tun(true, router, null);
        List.of(A, B, C).forEach(tun::attach);
        router.learnAddress(A, ip("10.8.0.2"));
        router.learnAddress(B, ip("10.8.0.3"));
        byte[] ping = ipv4("10.8.0.2", "10.8.0.3");
        byte[] pong = ipv4("10.8.0.3", "10.8.0.2");

        for (int i = 0; i < 3; i++) {
            flows.account(A, tun.fromInstance(A, ping, 0, ping.length, 0), ping.length);
            flows.account(B, tun.fromInstance(B, pong, 0, pong.length, 0), pong.length);
        }

        assertEquals(List.of(
                new FlowSample(A, B, FlowKind.CLIENT_TO_CLIENT, 3, 84),
                new FlowSample(B, A, FlowKind.CLIENT_TO_CLIENT, 3, 84)), flows.snapshot().flows());
        assertEquals(new InstanceTotals(3, 84, 3, 84), flows.totalsOf(A));
    }

    @Test
    void trafficBetweenClientAndDeviceIsUnicastViaServer() {
        flows.account(A, Route.TO_DEVICE, 100);
        flows.account(SERVER, new Route.ToInstance(A), 40);
        flows.account(SERVER, new Route.Flood(List.of(A, B), false), 30);

        assertEquals(List.of(
                new FlowSample(SERVER, A, FlowKind.UNICAST_VIA_SERVER, 1, 40),
                new FlowSample(SERVER, A, FlowKind.BROADCAST, 1, 30),
                new FlowSample(SERVER, B, FlowKind.BROADCAST, 1, 30),
                new FlowSample(A, SERVER, FlowKind.UNICAST_VIA_SERVER, 1, 100)), flows.snapshot().flows());
        assertEquals(new InstanceTotals(1, 100, 2, 70), flows.totalsOf(A));
    }

    @Test
    void droppedPacketsCountAsReceivedButDeliverNothing() {
        flows.account(A, new Route.Drop(Route.Cause.BAD_SOURCE), 50);
        assertEquals(new InstanceTotals(1, 50, 0, 0), flows.totalsOf(A));
        assertEquals(List.of(), flows.snapshot().flows());
    }

    @Test
    void forgetRemovesTheInstanceFromTheLiveSnapshotAndReturnsItsTotals() {
        flows.account(A, new Route.ToInstance(B), 10);
        flows.account(B, new Route.ToInstance(C), 20);
        flows.account(SERVER, new Route.ToInstance(B), 5);

        assertEquals(new InstanceTotals(1, 20, 2, 15), flows.forget(B));

        FlowSnapshot s = flows.snapshot();
        assertEquals(List.of(A, C), List.copyOf(s.instances().keySet()));
        assertEquals(List.of(), s.flows());
        flows.account(A, new Route.ToInstance(B), 10);
        assertEquals(List.of(), flows.snapshot().flows(), "late packets to a departed instance are not counted");
        assertEquals(InstanceTotals.ZERO, flows.totalsOf(B));
    }

    @Test
    void unregisteredInstancesAreNotCounted() {
        InstanceId stranger = new InstanceId(99);
        flows.account(stranger, Route.TO_DEVICE, 10);
        flows.account(SERVER, new Route.ToInstance(stranger), 10);
        assertEquals(List.of(), flows.snapshot().flows());
        assertEquals(List.of(A, B, C), List.copyOf(flows.snapshot().instances().keySet()));
    }

    @Test
    void snapshotIsImmutableAndDoesNotMoveWithLaterTraffic() {
        flows.account(A, Route.TO_DEVICE, 10);
        FlowSnapshot s = flows.snapshot();
        flows.account(A, Route.TO_DEVICE, 10);
        assertEquals(1, s.flows().get(0).packets());
        assertThrows(UnsupportedOperationException.class, () -> s.flows().clear());
        assertThrows(UnsupportedOperationException.class, () -> s.instances().clear());
    }

    @Test
    void concurrentCountingIsExact() throws Exception {
        int threads = 4;
        int perThread = 100_000;
        Route broadcastFromA = new Route.Flood(List.of(B, C), true);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        flows.account(A, broadcastFromA, 3);
                        flows.account(B, new Route.ToInstance(C), 7);
                        flows.account(SERVER, new Route.ToInstance(A), 1);
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                int snapshots = 0;
                while (!done.stream().allMatch(Future::isDone)) {
                    flows.snapshot();
                    snapshots++;
                }
                return snapshots;
            });
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertTrue(reader.get(60, TimeUnit.SECONDS) > 0);
        } finally {
            pool.shutdownNow();
        }

        long n = (long) threads * perThread;
        assertEquals(List.of(
                new FlowSample(SERVER, A, FlowKind.UNICAST_VIA_SERVER, n, n),
                new FlowSample(A, SERVER, FlowKind.BROADCAST, n, 3 * n),
                new FlowSample(A, B, FlowKind.BROADCAST, n, 3 * n),
                new FlowSample(A, C, FlowKind.BROADCAST, n, 3 * n),
                new FlowSample(B, C, FlowKind.CLIENT_TO_CLIENT, n, 7 * n)), flows.snapshot().flows());
        Map<InstanceId, InstanceTotals> totals = flows.snapshot().instances();
        assertEquals(new InstanceTotals(n, 3 * n, n, n), totals.get(A));
        assertEquals(new InstanceTotals(n, 7 * n, n, 3 * n), totals.get(B));
        assertEquals(new InstanceTotals(0, 0, 2 * n, 10 * n), totals.get(C));
    }
}
