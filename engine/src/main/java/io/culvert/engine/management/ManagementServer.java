package io.culvert.engine.management;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.ManagementOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the management protocol on a {@link ManagementEndpoint}: any number of connections, each with a
 * virtual reader thread and a virtual writer thread behind a queue bounded in items and bytes, plus one ticker for
 * {@code bytecount}. A connection whose queue overflows (it stopped reading) is warned about once and dropped for
 * good: unsubscribed from the journal, its queue discarded, its socket closed, its remaining input ignored. Warnings
 * are rate-limited per kind ({@link LogLimiter}), so clients cannot make the interface flood the log. Thread-safe.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    /** Longest command line accepted; a longer one closes the connection. */
    static final int MAX_LINE = 4096;
    private static final int QUEUE = 4096;
    /** Text a connection may have waiting to be sent; one reply may go past it when less was waiting. */
    static final int QUEUE_CHARS = 1 << 20;
    private static final Object CLOSE = new Object();

    private final ManagementEndpoint endpoint;
    private final ManagementContext ctx;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final LogLimiter warnings;
    private ServerSocketChannel listener;
    private volatile boolean closed;

    public ManagementServer(ManagementEndpoint endpoint, ManagementContext ctx) {
        this.endpoint = endpoint;
        this.ctx = ctx;
        this.warnings = new LogLimiter(LOG, 5, 60_000, ctx.clock());
    }

    /**
     * Sets up (without starting) the interface a config's {@code management} directive asks for.
     *
     * @param managementArgs the directive's arguments as the config holds them
     * @param baseDir folder relative paths resolve against
     */
    public static ManagementServer create(String managementArgs, ManagementOptions options, Path baseDir,
            ManagementTarget target, String version, InstantSource clock) throws EngineException {
        ManagementEndpoint endpoint = ManagementEndpoint.parse(managementArgs, baseDir);
        byte[] password = endpoint.passwordFile() == null ? null : readPassword(endpoint.passwordFile());
        ManagementContext ctx = new ManagementContext(new EventJournal(options.logCache()), target,
                new HoldGate(options.hold()), password, ProcessHandle.current().pid(), version, clock, ZoneId.systemDefault());
        return new ManagementServer(endpoint, ctx);
    }

    /** The engine listener that feeds this interface (also usable as a fan-out target). */
    public EventJournal journal() {
        return ctx.journal();
    }

    public HoldGate hold() {
        return ctx.hold();
    }

    /** Reads the first line of a password file (OpenVPN's rule); the bytes are the password. */
    public static byte[] readPassword(Path file) throws EngineException {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.getFirst().isEmpty()) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "management password file " + file + " is empty");
            }
            return lines.getFirst().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "cannot read management password file " + file, e);
        }
    }

    /** Binds and starts accepting. A stale Unix socket file is replaced; the new one is mode 0660. */
    public void start() throws EngineException {
        try {
            switch (endpoint) {
                case ManagementEndpoint.Tcp t -> {
                    listener = ServerSocketChannel.open();
                    listener.bind(t.address(), 16);
                }
                case ManagementEndpoint.Unix u -> {
                    Files.deleteIfExists(u.socket());
                    listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    listener.bind(UnixDomainSocketAddress.of(u.socket()), 16);
                    Files.setPosixFilePermissions(u.socket(), PosixFilePermissions.fromString("rw-rw----"));
                }
            }
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "management: cannot listen on " + describe() + ": " + e.getMessage(), e);
        }
        ctx.journal().log(ctx.clock().instant(), "I", "MANAGEMENT: " + describe() + " listening");
        Threads.platform("culvert-mgmt-accept").daemon().start(this::acceptLoop);
        Threads.platform("culvert-mgmt-tick").daemon().start(this::tickLoop);
    }

    /** Where it listens, for logs: "tcp 127.0.0.1:7505" or "unix /path". */
    public String describe() {
        return switch (endpoint) {
            case ManagementEndpoint.Tcp t -> "TCP " + t.address().getAddress().getHostAddress() + ":" + t.address().getPort();
            case ManagementEndpoint.Unix u -> "unix socket " + u.socket();
        };
    }

    /** Blocks while the hold flag is on until a connection sends {@code hold release}. */
    public void awaitHoldRelease() throws InterruptedException {
        ctx.hold().await(() -> {
            ctx.journal().log(ctx.clock().instant(), "I", "Need hold release from management interface, waiting...");
            connections.forEach(c -> c.session.holdWaiting());
        });
    }

    /** The bound address (useful with port 0), or null before {@link #start()}. */
    public java.net.SocketAddress localAddress() {
        try {
            return listener == null ? null : listener.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            LOG.debug("closing management listener: {}", e.getMessage());
        }
        connections.forEach(Connection::shutdown);
        if (endpoint instanceof ManagementEndpoint.Unix u) {
            try {
                Files.deleteIfExists(u.socket());
            } catch (IOException e) {
                LOG.debug("removing {}: {}", u.socket(), e.getMessage());
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = listener.accept();
                Connection c = new Connection(ch);
                connections.add(c);
                c.begin();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("management accept: {}", e.getMessage());
            }
        }
    }

    private void tickLoop() {
        while (!closed) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            long now = ctx.clock().millis();
            connections.forEach(c -> c.session.tick(now));
            warnings.flush();
        }
    }

    /** One accepted connection. */
    private final class Connection implements ManagementSession.Output {
        private final SocketChannel channel;
        private final BlockingQueue<Object> outbox = new ArrayBlockingQueue<>(QUEUE);
        /** Characters of text in {@link #outbox}. */
        private final AtomicLong queued = new AtomicLong();
        /** Set once, when the connection is dropped for not reading: from then on it gets and handles nothing. */
        private final AtomicBoolean dropped = new AtomicBoolean();
        private final ManagementSession session;
        private final String peer;

        Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.peer = String.valueOf(channel.getRemoteAddress());
            this.session = new ManagementSession(ctx, this);
        }

        void begin() {
            ctx.journal().log(ctx.clock().instant(), "I", "MANAGEMENT: Client connected from " + peerName());
            Threads.virtual("culvert-mgmt-tx").start(this::writeLoop);
            Threads.virtual("culvert-mgmt-rx").start(this::readLoop);
        }

        private String peerName() {
            return endpoint instanceof ManagementEndpoint.Unix u ? u.socket().toString() : peer;
        }

        @Override
        public void send(String text) {
            if (dropped.get()) {
                return;
            }
            long before = queued.getAndAdd(text.length());
            if (before > QUEUE_CHARS || !outbox.offer(text)) {
                queued.addAndGet(-text.length());
                drop();
            }
        }

        @Override
        public void close() {
            if (!outbox.offer(CLOSE)) {
                shutdown();
            }
        }

        /** The client stopped reading: one warning, then it is gone from every fan-out and its socket is closed. */
        private void drop() {
            if (!dropped.compareAndSet(false, true)) {
                return;
            }
            warnings.warn("slow client", "Management client {} is not reading; disconnecting it", peerName());
            ctx.journal().unsubscribe(session);
            connections.remove(this);
            outbox.clear();
            queued.set(0);
            shutdown();
        }

        void shutdown() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing management connection: {}", e.getMessage());
            }
        }

        private void readLoop() {
            ctx.journal().subscribe(session);
            session.start();
            try (InputStream in = Channels.newInputStream(channel)) {
                LineReader lines = new LineReader(in, MAX_LINE);
                String line;
                while (!dropped.get() && !session.closed() && (line = lines.next()) != null) {
                    session.onLine(line);
                }
            } catch (LineReader.TooLongException e) {
                warnings.warn("long line", "Management client {} sent a line over {} bytes; disconnecting it", peerName(),
                        MAX_LINE);
            } catch (IOException e) {
                LOG.debug("management read: {}", e.getMessage());
            } finally {
                ctx.journal().unsubscribe(session);
                connections.remove(this);
                if (dropped.get() || !outbox.offer(CLOSE)) {
                    shutdown();
                }
                if (!closed) {
                    ctx.journal().log(ctx.clock().instant(), "I", "MANAGEMENT: Client disconnected");
                }
            }
        }

        private void writeLoop() {
            try (OutputStream out = Channels.newOutputStream(channel)) {
                while (true) {
                    Object item = outbox.poll(1, TimeUnit.SECONDS);
                    if (item == CLOSE || dropped.get()) {
                        break;
                    }
                    if (item == null) {
                        if (!channel.isOpen()) {
                            break;
                        }
                        continue;
                    }
                    String text = (String) item;
                    queued.addAndGet(-text.length());
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                LOG.debug("management write: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                shutdown();
            }
        }
    }
}
