package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.LogThrottle;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.transport.SendRefusedException;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.tun.TunDevice;
import io.culvert.engine.warmup.Warmup;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The session's view of the outside world during one connection attempt ({@link SessionIo}, {@link DataPathIo})
 * against the real transport and device: sends on the link (shaped, refused datagrams counted), writes the device,
 * passes control packets to the session thread, counts traffic, and sets the tunnel up ({@link TunnelSetup}),
 * holding its routes back for {@code route-delay}. The session thread calls the {@link SessionIo} side and the data
 * threads the {@link DataPathIo} side; sending and counting are thread-safe.
 */
final class AttemptIo implements SessionIo, DataPathIo {
    /** At most one "write failed" line per this interval; the drops are all counted. */
    private static final long SEND_FAILURE_LOG_MILLIS = 5000;

    private final RunnerParts parts;
    private final RunnerStatus status;
    private final TrafficCounters counters;
    private final Transport transport;
    private final TunnelSetup tunnel;
    private final ClientProfile.Remote remote;
    private final String server;
    private final DataThreads threads;
    private final LogThrottle sendFailures = new LogThrottle(SEND_FAILURE_LOG_MILLIS);
    private volatile TunDevice device;
    /** The session thread's copy of a packet behind a virtio header (rare: data normally bypasses the session). */
    private final byte[] sessionWrite = new byte[VirtioNetHdr.LENGTH + Transport.MAX_PACKET];
    /** The session's data plane; set before any reader starts. */
    DataPlane plane;
    /** {@code shaper}: the profile's, or the server's pushed one once the tunnel is configured; null = none. */
    volatile Shaper shaper;
    /** Session thread: the tunnel whose routes route-delay holds back until {@link #routesDueAt}, else null. */
    private ConnectionInfo delayedInfo;
    private long routesDueAt;
    /** Session thread: the session said CONNECTED while the routes were still held back. */
    private boolean connectedHeld;
    /** Session thread: why the remotes before this one were passed over, once the tunnel is up (else null). */
    private String fallback;

    /** The attempt on {@code remote} over {@code transport} to {@code server} (its address). */
    AttemptIo(RunnerParts parts, Transport transport, TunnelSetup tunnel, ClientProfile.Remote remote, String server,
            DataThreads threads) {
        this.parts = parts;
        this.status = parts.status();
        this.counters = parts.counters();
        this.transport = transport;
        this.tunnel = tunnel;
        this.remote = remote;
        this.server = server;
        this.threads = threads;
    }

    @Override
    public void sendLink(byte[] packet) {
        sendTrain(packet, 0, packet.length, packet.length);
    }

    /**
     * Session thread and device reader: sends the packets laid back to back in {@code buf[off, off + len)},
     * {@code segmentSize} bytes each (the last possibly shorter); transports send whole packets atomically from
     * several threads. A refused datagram is counted and logged (throttled); a failed link ends the session.
     */
    @Override
    public void sendTrain(byte[] buf, int off, int len, int segmentSize) {
        try {
            Shaper s = shaper;
            if (s == null) {
                write(buf, off, len, segmentSize);
            } else {
                int segments = (len + segmentSize - 1) / segmentSize;
                s.send(len + segments * datagramOverhead(), () -> write(buf, off, len, segmentSize));
            }
            counters.linkBytesOut.add(len);
        } catch (SendRefusedException e) {
            // Datagrams lost, as on a lossy link; the session lives until keepalive says otherwise.
            counters.drops.count(DropReason.SEND_FAILED, e.datagrams());
            long held = sendFailures.admit(parts.clock().millis());
            if (held >= 0) {
                status.warn("write to " + Addresses.text(transport.remote()) + " failed: " + e.getMessage()
                        + (held > 0 ? " (" + held + " more since the last report)" : ""));
            }
        } catch (IOException e) {
            parts.events().offer(new RunnerQueue.LinkFailed(e));
        }
    }

    private void write(byte[] buf, int off, int len, int segmentSize) throws IOException {
        if (len == segmentSize) {
            transport.send(buf, off, len);
        } else {
            transport.sendTrain(buf, off, len, segmentSize);
        }
    }

    InetSocketAddress linkRemote() {
        return transport.remote();
    }

    boolean linkTcp() {
        return transport.isTcp();
    }

    /** What the kernel adds to each packet on the link, as OpenVPN's {@code datagram_overhead} counts it. */
    private int datagramOverhead() {
        return (ipv6Link() ? 40 : 20) + (transport.isTcp() ? 20 : 8);
    }

    /** Session thread: one opened packet, behind a zero virtio header when the device takes them. */
    @Override
    public void writeTun(byte[] buf, int off, int len) {
        TunDevice dev = device;
        if (dev == null) {
            return;
        }
        if (dev.vnetHeaderLength() == 0) {
            writeDevice(buf, off, len);
        } else {
            synchronized (sessionWrite) {
                VirtioNetHdr.writeNone(sessionWrite, 0);
                System.arraycopy(buf, off, sessionWrite, VirtioNetHdr.LENGTH, len);
                writeDevice(sessionWrite, 0, VirtioNetHdr.LENGTH + len);
            }
        }
        tunIn(len, 1);
    }

    @Override
    public void writeDevice(byte[] buf, int off, int len) {
        TunDevice dev = device;
        if (dev == null) {
            return;
        }
        try {
            dev.write(buf, off, len);
        } catch (IOException e) {
            counters.drops.count(DropReason.UNEXPECTED);
        }
    }

    /** The device's virtio header length, or -1 before the device is open. */
    int deviceVnet() {
        TunDevice dev = device;
        return dev == null ? -1 : dev.vnetHeaderLength();
    }

    @Override
    public void control(byte[] buf, int off, int len) throws InterruptedException {
        RunnerQueue.LinkIn in = new RunnerQueue.LinkIn(Arrays.copyOfRange(buf, off, off + len), len);
        if (transport.isTcp()) {
            parts.events().put(in); // TCP already delivered it; push back on the stream instead of dropping
        } else if (!parts.events().offer(in)) {
            counters.drops.count(DropReason.WINDOW_FULL);
        }
    }

    @Override
    public void tunOut(int bytes, int packets) {
        counters.tunBytesOut.add(bytes);
        counters.tunPacketsOut.add(packets);
    }

    @Override
    public void tunIn(int bytes, int packets) {
        counters.tunBytesIn.add(bytes);
        counters.tunPacketsIn.add(packets);
    }

    @Override
    public void linkIn(int bytes) {
        counters.linkBytesIn.add(bytes);
    }

    @Override
    public void configureTunnel(PushedConfig config, String cipher, String tlsDescription) throws EngineException {
        status.state(ConnectionState.ASSIGN_IP, null, config.ifconfig() == null ? "" : String.join(" ", config.ifconfig()));
        if (config.shaper() > 0) {
            shaper = new Shaper(config.shaper()); // openvpn: "OPTIONS IMPORT: traffic shaper enabled"
            status.note("Output Traffic Shaping initialized at "
                    + Math.clamp(config.shaper(), Shaper.MIN, Shaper.MAX) + " bytes per second (pushed)");
        }
        ConnectionInfo ci = tunnel.apply(config, server, remote.toString(), cipher, tlsDescription);
        TunDevice dev = tunnel.device();
        device = dev;
        status.tunnelDevice(dev.name());
        if (parts.killSwitch() != null) {
            parts.killSwitch().follow(dev.name());
        }
        Warmup.stop(); // user packets follow at once: they must not share the CPU with it
        threads.startTunReader(dev, this);
        log(EngineEvent.Level.INFO, "Data Channel: cipher " + cipher + ", " + tlsDescription + ", device " + ci.device()
                + (ci.ipv4() != null ? " " + ci.ipv4() : "") + (dev.vnetHeaderLength() > 0 ? ", offloads " + dev.offloads() : ""));
        if (!tunnel.dnsResult().isEmpty()) {
            log(tunnel.dnsFailed() ? EngineEvent.Level.WARN : EngineEvent.Level.INFO, tunnel.dnsResult());
        }
        if (tunnel.routeDelaySeconds() >= 0) {
            // route-delay: the tunnel carries traffic now; routes and "Initialization Sequence Completed" follow.
            delayedInfo = ci;
            routesDueAt = parts.clock().millis() + tunnel.routeDelaySeconds() * 1000L;
            log(EngineEvent.Level.INFO, "Routes in " + tunnel.routeDelaySeconds() + " s (route-delay)");
            return;
        }
        initialized(ci);
    }

    /** Session thread, each tick: installs the routes route-delay held back once their time has come. */
    void addDelayedRoutes(long now) {
        if (delayedInfo == null || now < routesDueAt) {
            return;
        }
        ConnectionInfo ci = tunnel.addRoutes(delayedInfo);
        delayedInfo = null;
        initialized(ci);
        if (connectedHeld) {
            connectedHeld = false;
            status.state(ConnectionState.CONNECTED, null, "");
        }
    }

    /** Session thread: a PUSH_UPDATE changed the pushed configuration; routes and DNS follow, the app is told. */
    @Override
    public void updateTunnel(PushedConfig previous, PushedConfig next, List<String> changes) {
        List<String> notes = new ArrayList<>();
        ConnectionInfo before = delayedInfo != null ? delayedInfo : status.info();
        if (before == null) {
            return;
        }
        ConnectionInfo ci = tunnel.update(next, before, notes).withLink(before.transport(), before.fallback());
        for (String n : notes) {
            log(EngineEvent.Level.INFO, "PUSH_UPDATE: " + n);
        }
        if (delayedInfo != null) {
            delayedInfo = ci;
            return;
        }
        for (ConnectionInfo.FailedRoute f : ci.failedRoutes()) {
            log(EngineEvent.Level.WARN, "Route " + f.route() + " not added: " + f.reason());
        }
        status.info(ci);
        parts.routes().refollow();
        log(EngineEvent.Level.INFO, "PUSH_UPDATE applied: " + String.join(", ", changes) + "; routes now " + ci.routes());
        status.event(new EngineEvent.Connected(parts.clock().instant(), ci));
    }

    /** The routes are in (or failed): reports them and announces the tunnel, as openvpn does at this point. */
    private void initialized(ConnectionInfo ci) {
        status.state(ConnectionState.ADD_ROUTES, null, "");
        if (fallback == null) {
            fallback = parts.transports().connected(remote, status);
        }
        ci = ci.withLink(TransportFallback.transport(remote), fallback);
        status.info(ci);
        for (ConnectionInfo.FailedRoute f : ci.failedRoutes()) {
            log(EngineEvent.Level.WARN, "Route " + f.route() + " not added: " + f.reason());
        }
        parts.routes().refollow();
        log(EngineEvent.Level.INFO, "Initialization Sequence Completed");
        status.event(new EngineEvent.Connected(parts.clock().instant(), ci));
    }

    @Override
    public void state(ConnectionState s, String detail) {
        if (s == ConnectionState.CONNECTED && delayedInfo != null) {
            connectedHeld = true; // announced once the delayed routes are in
            return;
        }
        status.state(s, null, detail);
    }

    @Override
    public void log(EngineEvent.Level level, String message) {
        status.log(level, message);
    }

    @Override
    public void dropped(DropReason reason) {
        counters.drops.count(reason);
    }

    /** UDP only: over TCP the connection itself was answered, so silence means something else. */
    @Override
    public void noAnswer(int packets, long millis) {
        if (transport.isTcp()) {
            return;
        }
        status.warn("Sent " + packets + " handshake packets to "
                + Addresses.text(transport.remote()) + ", no answer yet (a blocked UDP port or a wrong address looks the same)");
        status.event(new EngineEvent.NoAnswer(parts.clock().instant(), remote.toString(), packets, Duration.ofMillis(millis)));
    }

    @Override
    public boolean ipv6Link() {
        return transport.remote().getAddress() instanceof Inet6Address;
    }
}
