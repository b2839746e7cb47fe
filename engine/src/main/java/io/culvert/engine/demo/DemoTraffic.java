package io.culvert.engine.demo;

import io.culvert.engine.tun.InMemoryTun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the demo's traffic through in-memory devices, {@value #TICKS_PER_SECOND} ticks a second: every client pings
 * the server (the server's device answers), the server sends downloads, pairs of clients talk to each other through
 * the server (client-to-client), two clients send broadcasts and multicasts, and one client now and then floods
 * broadcasts (a storm). Rates swell and ebb so the topology view has something to show. It also drains every device,
 * as a host would read them. Runs on the thread that calls {@link #run}; {@link #stop} and {@link #storm} may be
 * called from any thread.
 */
public final class DemoTraffic implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
    static final int TICKS_PER_SECOND = 50;
    private static final double DT = 1.0 / TICKS_PER_SECOND;
    private static final int STORM_PERIOD_TICKS = 30 * TICKS_PER_SECOND;
    private static final int STORM_LENGTH_TICKS = 6 * TICKS_PER_SECOND;
    private static final int STORM_START_TICK = 14 * TICKS_PER_SECOND;

    /**
     * One client of the demo. Device and address are looked up on every use: after a kick the client reconnects
     * with a new device and maybe a new address.
     *
     * @param device the client's current device, or null while it has none
     * @param address the client's current tunnel address (dotted quad), or null while not connected
     */
    public record Peer(String name, Supplier<InMemoryTun> device, Supplier<String> address) {}

    /** One generated stream: who sends to whom, how much, and how the rate swells. */
    private record Stream(int source, int destination, boolean echo, double packetsPerSecond, int size, double phase) {}

    private final InMemoryTun server;
    private final List<Peer> peers;
    private final int serverAddress = Packets.address(DemoConfigs.SERVER_ADDRESS);
    private final int broadcast = Packets.address(DemoConfigs.BROADCAST);
    private final int multicast = Packets.address("224.0.0.251");
    private final List<Stream> streams = new ArrayList<>();
    private final double[] owed;
    private final int stormer;
    private volatile boolean running = true;
    private volatile Boolean forcedStorm;
    private long tick;
    private int sequence;

    public DemoTraffic(InMemoryTun server, List<Peer> peers) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("the demo needs at least one client");
        }
        this.server = server;
        this.peers = List.copyOf(peers);
        int n = peers.size();
        double[] ping = {40, 12, 70, 6, 20, 15, 30, 9};
        int[] pingSize = {900, 300, 1200, 200, 500, 400, 700, 250};
        double[] download = {30, 80, 10, 4, 25, 8, 45, 3};
        for (int i = 0; i < n; i++) {
            streams.add(new Stream(i, -1, true, ping[i % ping.length], pingSize[i % pingSize.length], i * 0.9));
            streams.add(new Stream(-1, i, false, download[i % download.length], 1200, i * 1.7));
        }
        int[][] pairs = {{0, 1, 25, 900}, {1, 0, 25, 300}, {2, 4, 12, 600}, {3, 5, 6, 200}, {6, 2, 18, 700}, {7, 0, 5, 400}};
        for (int[] pair : pairs) {
            if (pair[0] < n && pair[1] < n) {
                streams.add(new Stream(pair[0], pair[1], false, pair[2], pair[3], pair[0] + pair[1]));
            }
        }
        owed = new double[streams.size() + 3];
        stormer = n > 5 ? 5 : n - 1;
    }

    /** Forces the storm on or off; {@code null} goes back to the automatic storm every half minute. */
    public void storm(Boolean on) {
        forcedStorm = on;
    }

    /** True while the storming client floods. */
    public boolean storming() {
        Boolean forced = forcedStorm;
        if (forced != null) {
            return forced;
        }
        return tick >= STORM_START_TICK && (tick - STORM_START_TICK) % STORM_PERIOD_TICKS < STORM_LENGTH_TICKS;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            while (running) {
                step();
                TimeUnit.MILLISECONDS.sleep(1000 / TICKS_PER_SECOND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("demo traffic stopped: {}", e.toString());
        }
    }

    /** One tick: send what each stream owes, answer pings at the server, drain the clients' devices. */
    void step() throws InterruptedException {
        double t = tick * DT;
        for (int s = 0; s < streams.size(); s++) {
            Stream st = streams.get(s);
            double swell = 1 + 0.7 * Math.sin(t * 0.35 + st.phase());
            owed[s] += st.packetsPerSecond() * swell * DT;
            while (owed[s] >= 1) {
                owed[s] -= 1;
                send(st);
            }
        }
        int n = peers.size();
        int broadcaster = n > 4 ? 4 : 0;
        periodic(streams.size(), 2, () -> fromClient(broadcaster, -2, 5678, 140));
        int multicaster = n > 3 ? 3 : n - 1;
        periodic(streams.size() + 1, 1, () -> fromClient(multicaster, -3, 5353, 110));
        if (storming()) {
            periodic(streams.size() + 2, 350, () -> fromClient(stormer, -2, 137, 230));
        }
        drain();
        tick++;
    }

    private void periodic(int slot, double perSecond, Runnable send) {
        owed[slot] += perSecond * DT;
        while (owed[slot] >= 1) {
            owed[slot] -= 1;
            send.run();
        }
    }

    private void send(Stream st) {
        sequence = sequence + 1 & 0xffff;
        if (st.source() < 0) {
            Integer to = address(st.destination());
            if (to != null) {
                inject(server, Packets.udp(serverAddress, to, 443, 40000 + st.destination(), st.size()));
            }
        } else if (st.echo()) {
            Integer from = address(st.source());
            if (from != null) {
                inject(peers.get(st.source()).device().get(), Packets.echoRequest(from, serverAddress, sequence, st.size()));
            }
        } else {
            fromClient(st.source(), st.destination(), 5004, st.size());
        }
    }

    /** A UDP datagram from client {@code index} to client {@code to}, or to the broadcast (-2) or multicast (-3) group. */
    private void fromClient(int index, int to, int port, int size) {
        Integer from = address(index);
        Integer destination = to == -2 ? Integer.valueOf(broadcast) : to == -3 ? Integer.valueOf(multicast) : address(to);
        if (from != null && destination != null) {
            inject(peers.get(index).device().get(), Packets.udp(from, destination, port, port, size));
        }
    }

    private Integer address(int index) {
        String a = peers.get(index).address().get();
        return a == null ? null : Packets.address(a);
    }

    private static void inject(InMemoryTun device, byte[] packet) {
        if (device == null) {
            return;
        }
        try {
            device.inject(packet);
        } catch (IllegalStateException full) {
            // The tunnel is backed up: drop, as a real host's queue would.
        }
    }

    private void drain() throws InterruptedException {
        for (byte[] p = server.takeWritten(0, TimeUnit.MILLISECONDS); p != null; p = server.takeWritten(0, TimeUnit.MILLISECONDS)) {
            if (Packets.isEchoRequest(p)) {
                inject(server, Packets.echoReply(p));
            }
        }
        for (Peer peer : peers) {
            InMemoryTun device = peer.device().get();
            for (byte[] p = device == null ? null : device.takeWritten(0, TimeUnit.MILLISECONDS); p != null;
                    p = device.takeWritten(0, TimeUnit.MILLISECONDS)) {
                if (Packets.isEchoRequest(p)) { // a client host answers pings (the topology view's path check probes)
                    inject(device, Packets.echoReply(p));
                }
            }
        }
    }
}
