package io.culvert.engine.client;

import io.culvert.engine.common.Threads;
import io.culvert.engine.sys.Routes;
import java.io.IOException;
import java.net.InetAddress;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows the kernel's route to the server and says when it changed, so that the client reconnects at once instead of
 * waiting for ping-restart (issue 12). At each route, address or link change it looks the route up again and compares
 * it with the one the link was opened on: another device, gateway or source address is a change; the same route is
 * not (the tunnel's own routes come and go without touching it), nor is a route into the tunnel's own device (that is
 * the tunnel's routing, not the network's), nor no route at all (a cable out: nothing to reconnect over yet; the
 * route coming back is the change). One daemon thread; {@link #follow} and {@link #close} from any thread.
 */
final class NetworkWatch implements AutoCloseable {
    private final Routes routes;
    private final Consumer<String> onChange;
    private final Supplier<String> tunnelDevice;
    private final Consumer<String> onError;
    private volatile Target target;
    private Thread thread;

    private record Target(InetAddress server, Routes.Route route) {}

    /**
     * @param onChange told "network changed: route to SERVER now via DEV …", once per change
     * @param tunnelDevice the tunnel's device name now, or null
     * @param onError told once when the watch stops on an error
     */
    NetworkWatch(Routes routes, Consumer<String> onChange, Supplier<String> tunnelDevice, Consumer<String> onError) {
        this.routes = routes;
        this.onChange = onChange;
        this.tunnelDevice = tunnelDevice;
        this.onError = onError;
    }

    /** Starts watching on its own thread. */
    NetworkWatch start() {
        thread = Threads.platform("culvert-netwatch").daemon().start(this::run);
        return this;
    }

    /** From now on, compares the route to {@code server} with the one it has now; the route is returned (null: none). */
    Routes.Route follow(InetAddress server) {
        Routes.Route now = lookup(server);
        target = new Target(server, now);
        return now;
    }

    /** The route to {@code server} now, or null; follows nothing. */
    Routes.Route lookup(InetAddress server) {
        try {
            return routes.lookup(server);
        } catch (IOException e) {
            return null;
        }
    }

    private void run() {
        try {
            while (routes.awaitChange()) {
                check();
            }
        } catch (IOException | RuntimeException e) {
            onError.accept("network changes are no longer followed: " + e.getMessage());
        }
    }

    /** One comparison, after a change; public to the package for tests that drive it without the thread. */
    void check() {
        Target t = target;
        if (t == null) {
            return;
        }
        Routes.Route now = lookup(t.server());
        if (now == null || now.equals(t.route()) || now.device().equals(tunnelDevice.get())) {
            return;
        }
        target = new Target(t.server(), now);
        onChange.accept("network changed: route to " + t.server().getHostAddress() + " now via " + now);
    }

    @Override
    public void close() {
        routes.close();
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
