package io.culvert.engine.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** rtnetlink against this machine's kernel: the route to loopback, and a waiter that close() wakes. */
class LinuxRoutesTest {

    @Test
    void theRouteToLoopbackIsThroughLo() throws Exception {
        try (LinuxRoutes routes = LinuxRoutes.open()) {
            Routes.Route r = routes.lookup(InetAddress.getByName("127.0.0.1"));
            assertEquals(new Routes.Route("lo", null, InetAddress.getByName("127.0.0.1")), r);
            Routes.Route r6 = routes.lookup(InetAddress.getByName("::1"));
            if (r6 != null) { // a kernel without IPv6 has no route to ::1
                assertEquals("lo", r6.device());
            }
        }
    }

    @Test
    void closeEndsAWaitAtOnce() throws Exception {
        LinuxRoutes routes = LinuxRoutes.open();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return routes.awaitChange();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        long start = System.nanoTime();
        routes.close();
        assertFalse(waited.get(2, TimeUnit.SECONDS));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 500);
    }
}
