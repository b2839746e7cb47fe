package io.culvert.engine.client;

import io.culvert.engine.common.Threads;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.tun.TunDevice;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two data threads of one connection attempt, run to completion: the link reader {@code culvert-link-rx}
 * ({@link LinkToTun}), started with the session, and the device reader {@code culvert-tun-rx-<dev>}
 * ({@link TunToLink}), started once the tunnel is configured. A failed link is posted to the session thread
 * ({@link RunnerQueue.LinkFailed}). The session thread starts and joins them; they stop when the transport and the
 * device close.
 */
final class DataThreads {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);
    /** An Ethernet header with one VLAN tag, in front of a TAP device's MTU. */
    private static final int MAX_L2_HEADER = 18;

    private final ClientProfile profile;
    private final RunnerQueue events;
    private volatile Thread linkReader;
    private volatile Thread tunReader;

    DataThreads(ClientProfile profile, RunnerQueue events) {
        this.profile = profile;
        this.events = events;
    }

    /** Starts the link reader on {@code transport}; {@code io}'s data plane is set. */
    void startLinkReader(Transport transport, AttemptIo io) {
        linkReader = Threads.platform("culvert-link-rx").daemon().start(() -> readLink(transport, io));
    }

    /** Starts the device reader on {@code device}. */
    void startTunReader(TunDevice device, AttemptIo io) {
        tunReader = Threads.platform("culvert-tun-rx-" + device.name()).daemon().start(() -> readTun(device, io));
    }

    /** Waits a little for both to end, after the transport and the device were closed. */
    void join() {
        joinQuietly(linkReader);
        joinQuietly(tunReader);
    }

    private void readLink(Transport transport, AttemptIo io) {
        try {
            new LinkToTun(io.plane, io, profile.tap(), io::deviceVnet).run(transport);
        } catch (IOException e) {
            events.offer(new RunnerQueue.LinkFailed(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readTun(TunDevice device, AttemptIo io) {
        int maxSegment = device.mtu() + (device.isTap() ? MAX_L2_HEADER : 0);
        try {
            new TunToLink(io.plane, io, profile.tap(), device.vnetHeaderLength(), maxSegment)
                    .dropRecursive(profile.allowRecursiveRouting() ? null
                            : RecursiveRouting.forLink(io.linkRemote(), io.linkTcp()))
                    .run(device);
        } catch (IOException e) {
            LOG.debug("Device reader stopped: {}", e.getMessage());
        }
    }

    private static void joinQuietly(Thread t) {
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
