package io.culvert.engine.fleet;

import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.server.ServerRunner;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a changed fleet route set reaches a connected client: a PUSH_UPDATE where it can take one, else a restart. */
final class RoutePush {
    private static final Logger LOG = LoggerFactory.getLogger(RoutePush.class);

    private RoutePush() {}

    /**
     * Sends client {@code commonName}'s connected instances their routes: a PUSH_UPDATE where the client announced
     * support, else a restart, so it reconnects and gets them in its push.
     */
    static void send(ServerRunner runner, String commonName) {
        if (runner == null) {
            return;
        }
        List<Integer> connected = new ArrayList<>();
        for (InstanceInfo i : runner.instances()) {
            if (commonName.equals(i.commonName())) {
                connected.add(i.peerId());
            }
        }
        if (connected.isEmpty()) {
            return;
        }
        int sent = runner.refreshRoutes(commonName);
        if (sent > 0) {
            LOG.info("fleet: routes of {} sent as PUSH_UPDATE to {} instance(s)", commonName, sent);
            return;
        }
        for (int peerId : connected) {
            runner.kick(peerId);
        }
        LOG.info("fleet: {} takes no PUSH_UPDATE; restarted {} instance(s) to give it its new routes", commonName,
                connected.size());
    }
}
