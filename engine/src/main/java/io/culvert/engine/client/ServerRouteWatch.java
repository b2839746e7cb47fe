package io.culvert.engine.client;

import io.culvert.engine.sys.LinuxRoutes;
import io.culvert.engine.sys.Routes;
import java.io.IOException;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route to the current attempt's server, followed through {@link NetworkWatch} for one {@link ClientRunner#run}:
 * a change posts {@link RunnerQueue.NetworkChanged}. Where the kernel's routes cannot be followed it does nothing and
 * looks nothing up. The session thread follows and closes; the watch's own thread reports changes.
 */
final class ServerRouteWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);

    /** Null where the kernel's routes cannot be followed. */
    private final NetworkWatch watch;
    /** The server's address of the current attempt. */
    private volatile InetAddress server;

    private ServerRouteWatch(NetworkWatch watch) {
        this.watch = watch;
    }

    /** Follows {@code given} routes, or rtnetlink's when null; a watch that follows nothing where neither opens. */
    static ServerRouteWatch open(Routes given, RunnerQueue events, RunnerStatus status) {
        Routes r = given;
        if (r == null) {
            try {
                r = LinuxRoutes.open();
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.debug("Not following network changes: {}", e.getMessage());
                return new ServerRouteWatch(null);
            }
        }
        return new ServerRouteWatch(new NetworkWatch(r, why -> events.offer(new RunnerQueue.NetworkChanged(why)),
                status::tunnelDevice, status::warn).start());
    }

    /** Follows the route to {@code address} from now on; the route now, or null where it is not known. */
    Routes.Route follow(InetAddress address) {
        server = address;
        return watch == null ? null : watch.follow(address);
    }

    /**
     * Takes the route to the server as it is now as the one to compare with: after the client changed routes itself
     * (its routes to the server, e.g. redirect-gateway's host route via net_gateway, are not a network change).
     */
    void refollow() {
        InetAddress s = server;
        if (watch != null && s != null) {
            watch.follow(s);
        }
    }

    /** The route to {@code address} now, or null where it is not known. */
    Routes.Route lookup(InetAddress address) {
        return watch == null ? null : watch.lookup(address);
    }

    boolean following() {
        return watch != null;
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
