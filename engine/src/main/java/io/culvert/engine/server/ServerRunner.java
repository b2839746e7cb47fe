package io.culvert.engine.server;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.tun.TunFactory;
import io.culvert.engine.transport.TcpTransport;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.TunDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a server: opens and configures its device, listens on UDP or TCP, and drives the {@link ServerCore}
 * on one thread. Threads: the caller of {@link #run()} owns the core and every session; a UDP reader, or a TCP
 * acceptor plus one reader per connection, and a device reader feed it through one bounded queue.
 * {@link #stop()}, {@link #kick}, {@link #instances()} and {@link #flows()} may be called from any thread.
 */
public final class ServerRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRunner.class);
    private static final long TICK_MILLIS = 100;

    private final ServerPlan plan;
    private final EngineListener listener;
    private final TunFactory tunFactory;
    private final NetConfig net;
    private final InstantSource clock;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16384);
    private final CountDownLatch started = new CountDownLatch(1);
    private final LongAdder queueFull = new LongAdder();
    private final BatchedLinkOutput output = new BatchedLinkOutput();
    private volatile boolean stopRequested;
    private volatile ServerCore core;
    private volatile Thread serverThread;
    private volatile InetSocketAddress boundAddress;

    private record UdpIn(InetSocketAddress from, byte[] data) {}

    private record DevIn(byte[] data) {}

    private record TcpOpen(LinkEndpoint.Tcp endpoint) {}

    private record TcpIn(LinkEndpoint.Tcp endpoint, byte[] data) {}

    private record TcpClosed(LinkEndpoint.Tcp endpoint) {}

    private record Kick(int peerId, java.util.concurrent.CompletableFuture<Boolean> done) {}

    private static final Object STOP = new Object();

    /** Periodic work on the server thread, e.g. a {@link StatusFile}. */
    @FunctionalInterface
    public interface Ticker {
        /** Called after every tick, and once with {@code stopping} before the clients are dropped. */
        void tick(long nowMillis, boolean stopping);
    }

    private volatile Ticker ticker = (now, stopping) -> { };

    public ServerRunner(ServerPlan plan, EngineListener listener, TunFactory tunFactory, NetConfig net, InstantSource clock) {
        this.plan = plan;
        this.listener = listener;
        this.tunFactory = tunFactory;
        this.net = net;
        this.clock = clock;
    }

    public void stop() {
        stopRequested = true;
        queue.offer(STOP);
    }

    /** Waits until the server listens; false on timeout. */
    public boolean awaitStarted(long timeout, TimeUnit unit) throws InterruptedException {
        return started.await(timeout, unit);
    }

    /** The address the server listens on (useful with port 0). */
    public InetSocketAddress boundAddress() {
        return boundAddress;
    }

    public List<InstanceInfo> instances() {
        ServerCore c = core;
        return c == null ? List.of() : c.instances();
    }

    public List<FlowEdge> flows() {
        ServerCore c = core;
        return c == null ? List.of() : c.flows();
    }

    /** Sets the {@link Ticker}; call before {@link #run()}. */
    public void onTick(Ticker t) {
        ticker = t;
    }

    /** Instances allocated since start; 0 before the server runs. */
    public long instancesCreated() {
        ServerCore c = core;
        return c == null ? 0 : c.instancesCreated();
    }

    /**
     * Disconnects client {@code peerId} and waits (briefly) until the server thread has done it, so a status read
     * right after no longer lists it; false when there is no such client.
     */
    public boolean kick(int peerId) {
        ServerCore c = core;
        if (c != null && Thread.currentThread() == serverThread) {
            return c.kick(peerId); // a caller on the server thread (a Ticker) must not wait for itself
        }
        Kick k = new Kick(peerId, new java.util.concurrent.CompletableFuture<>());
        if (!queue.offer(k)) {
            return false;
        }
        try {
            return k.done().get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs until {@link #stop()}; throws when the server cannot start. */
    public void run() throws EngineException {
        TunDevice device;
        try {
            device = tunFactory.open(plan.devName(), plan.settings().tap(), plan.settings().tunMtu());
        } catch (IOException e) {
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED, "cannot open the server device: " + e.getMessage(), e);
        }
        try {
            net.setLinkUp(device.name(), plan.settings().tunMtu());
            plan.deviceSetup().apply(device.name(), net);
        } catch (IOException e) {
            net.undoAll();
            device.close();
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED, "configuring " + device.name() + " failed: " + e.getMessage(), e);
        }
        ServerCore c = new ServerCore(plan.settings(), plan.admission(), (b, off, len) -> writeDevice(device, b, off, len),
                output, plan.clientToClient(), plan.subnetBroadcast(), plan.maxClients(), plan.duplicateCn(), listener, clock,
                new SecureRandom(), this::post);
        c.scripts(plan.scripts());
        core = c;
        serverThread = Thread.currentThread();
        DatagramChannel udp = null;
        ServerSocketChannel tcp = null;
        try {
            if (plan.settings().tcp()) {
                tcp = ServerSocketChannel.open();
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                tcp.bind(plan.bind(), 64);
                boundAddress = (InetSocketAddress) tcp.getLocalAddress();
                ServerSocketChannel listening = tcp;
                Thread.ofPlatform().name("culvert-tcp-accept").daemon().start(() -> accept(listening));
            } else {
                udp = DatagramChannel.open();
                udp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                udp.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
                udp.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
                udp.bind(plan.bind());
                boundAddress = (InetSocketAddress) udp.getLocalAddress();
                DatagramChannel listening = udp;
                output.udp = udp;
                Thread.ofPlatform().name("culvert-udp-rx").daemon().start(() -> readUdp(listening));
            }
        } catch (IOException e) {
            closeQuietly(udp, tcp);
            net.undoAll();
            device.close();
            throw new EngineException(ErrorKind.NETWORK_UNREACHABLE, "cannot listen on " + plan.bind() + ": " + e.getMessage(), e);
        }
        Thread devReader = Thread.ofPlatform().name("culvert-tun-rx-" + device.name()).daemon().start(() -> readDevice(device));
        LOG.info("Listening on {}/{}, device {}", boundAddress, plan.settings().tcp() ? "tcp" : "udp", device.name());
        LOG.info("Initialization Sequence Completed");
        started.countDown();
        try {
            loop(c);
        } finally {
            try {
                ticker.tick(clock.millis(), true);
            } catch (RuntimeException e) {
                LOG.warn("Final tick failed", e);
            }
            LOG.info("Server totals: instances={} created={} drops={} queueFull={}", c.instanceCount(), c.instancesCreated(),
                    c.drops(), queueFull.sum());
            c.shutdown();
            closeQuietly(udp, tcp);
            device.close();
            net.undoAll();
            try {
                devReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("Server stopped");
        }
    }

    private void loop(ServerCore c) {
        output.core = c;
        long nextTick = clock.millis() + TICK_MILLIS;
        while (!stopRequested) {
            try {
                Object ev = queue.poll(Math.max(1, nextTick - clock.millis()), TimeUnit.MILLISECONDS);
                int batch = 0;
                while (ev != null && ev != STOP) {
                    dispatch(c, ev);
                    if (++batch >= 512) {
                        break;
                    }
                    ev = queue.poll();
                }
                output.flush();
                if (clock.millis() >= nextTick) {
                    c.tick();
                    ticker.tick(clock.millis(), false);
                    nextTick = clock.millis() + TICK_MILLIS;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Server loop error (continuing)", e);
            }
        }
    }

    private void dispatch(ServerCore c, Object ev) {
        switch (ev) {
            case UdpIn in -> c.onUdp(in.from(), in.data(), in.data().length);
            case DevIn in -> c.onDevice(in.data(), in.data().length);
            case TcpOpen open -> handles.put(open.endpoint(), c.onTcpAccepted(open.endpoint()));
            case TcpIn in -> c.onTcp(handles.get(in.endpoint()), in.data(), in.data().length);
            case TcpClosed closed -> c.onTcpClosed(handles.remove(closed.endpoint()));
            case Kick k -> c.kick(k.peerId(), k.done()::complete);
            case Runnable task -> task.run();
            default -> { }
        }
    }

    /** Queues {@code task} for the server thread; never drops it, never blocks the caller. */
    private void post(Runnable task) {
        if (!queue.offer(task)) {
            Thread.ofVirtual().start(() -> {
                try {
                    queue.put(task);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private final java.util.Map<LinkEndpoint.Tcp, Object> handles = new java.util.HashMap<>();

    private void readUdp(DatagramChannel udp) {
        ByteBuffer buf = ByteBuffer.allocate(Transport.MAX_PACKET);
        while (true) {
            try {
                buf.clear();
                SocketAddress from = udp.receive(buf);
                if (from == null) {
                    continue;
                }
                buf.flip();
                byte[] data = new byte[buf.remaining()];
                buf.get(data);
                if (!queue.offer(new UdpIn((InetSocketAddress) from, data))) {
                    queueFull.increment();
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("UDP receive: {}", e.getMessage());
            }
        }
    }

    private void accept(ServerSocketChannel tcp) {
        while (true) {
            try {
                SocketChannel ch = tcp.accept();
                TcpTransport t = TcpTransport.accepted(ch.socket());
                LinkEndpoint.Tcp endpoint = new LinkEndpoint.Tcp(t, t.remote());
                queue.put(new TcpOpen(endpoint));
                Thread.ofVirtual().name("culvert-tcp-rx-" + t.remote()).start(() -> readTcp(endpoint));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("TCP accept: {}", e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void readTcp(LinkEndpoint.Tcp endpoint) {
        byte[] buf = new byte[Transport.MAX_PACKET];
        try {
            while (true) {
                int n = endpoint.transport().receive(buf);
                if (n < 0) {
                    break;
                }
                queue.put(new TcpIn(endpoint, Arrays.copyOf(buf, n)));
            }
        } catch (IOException e) {
            LOG.debug("TCP {}: {}", endpoint.address(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.offer(new TcpClosed(endpoint));
    }

    private void readDevice(TunDevice device) {
        byte[] buf = new byte[65536];
        try {
            while (true) {
                int n = device.read(buf, 0, buf.length);
                if (n < 0) {
                    return;
                }
                queue.put(new DevIn(Arrays.copyOf(buf, n)));
            }
        } catch (IOException e) {
            LOG.debug("device reader stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeDevice(TunDevice device, byte[] b, int off, int len) {
        try {
            device.write(b, off, len);
        } catch (IOException e) {
            LOG.debug("device write failed: {}", e.getMessage());
        }
    }

    private static void closeQuietly(java.io.Closeable... cs) {
        for (java.io.Closeable c : cs) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
