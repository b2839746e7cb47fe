package io.culvert.engine.service;

import io.culvert.engine.api.UserPass;
import io.culvert.engine.common.Threads;
import io.culvert.engine.daemon.protocol.JsonException;
import io.culvert.engine.daemon.protocol.LineChannel;
import io.culvert.engine.daemon.protocol.MessageCodec;
import io.culvert.engine.daemon.protocol.MessageException;
import io.culvert.engine.daemon.protocol.Protocol;
import io.culvert.engine.daemon.protocol.ToClient;
import io.culvert.engine.daemon.protocol.ToService;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authorised caller on the socket: reads the hello and then requests (each handled on its own virtual
 * thread, at most {@link #MAX_IN_FLIGHT} at once), and writes responses and events through a bounded outbox
 * drained by a writer thread; a caller that stops reading is disconnected rather than allowed to stall the engine,
 * one that does not say hello within the handshake timeout or idles past the idle timeout
 * ({@link ServiceSettings.Limits}) is closed, so it does not hold a slot others need. Thread-safe.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    static final int MAX_IN_FLIGHT = 16;
    static final int OUTBOX = 4096;
    static final long PROMPT_TIMEOUT_MILLIS = 300_000;

    private final SocketChannel channel;
    private final Caller caller;
    private final Registry registry;
    private final Dispatcher dispatcher;
    private final LineChannel lines;
    private final BlockingQueue<ToClient> outbox = new ArrayBlockingQueue<>(OUTBOX);
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<Long, CompletableFuture<Optional<UserPass>>> prompts = new ConcurrentHashMap<>();
    private final AtomicLong promptIds = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean watching;
    private final ServiceSettings.Limits limits;
    private final InstantSource clock;
    /** When the last request arrived ({@link #clock} millis). */
    private volatile long lastRequest;

    Connection(SocketChannel channel, Caller caller, Registry registry, Dispatcher dispatcher, ServiceSettings.Limits limits,
            InstantSource clock) {
        this.clock = clock;
        this.lastRequest = clock.millis();
        this.channel = channel;
        this.caller = caller;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.limits = limits;
        this.lines = new LineChannel(Channels.newInputStream(channel), Channels.newOutputStream(channel));
    }

    Caller caller() {
        return caller;
    }

    /**
     * Serves the connection (already admitted by {@link Registry#admit}) until the peer leaves, breaks the protocol
     * or idles; runs on the caller's thread.
     */
    void serve() {
        Threads.virtual("culvertd-writer").start(this::drain);
        try {
            if (!hello()) {
                return;
            }
            lastRequest = clock.millis();
            Threads.virtual("culvertd-idle").start(this::closeWhenIdle);
            while (!closed.get()) {
                String line = lines.read();
                if (line == null) {
                    return;
                }
                lastRequest = clock.millis();
                ToService.Request request;
                MessageException fault = null;
                try {
                    ToService msg = MessageCodec.parseToService(line);
                    if (!(msg instanceof ToService.Request r)) {
                        fail("BAD_REQUEST", "expected a request, got type " + Protocol.HELLO);
                        return;
                    }
                    request = r;
                } catch (MessageException e) {
                    if (e.op() == null) {
                        throw e; // not a request at all: the connection ends, as for a malformed line
                    }
                    request = null;
                    fault = e; // a request with a readable envelope is answered
                }
                if (!inFlight.tryAcquire()) {
                    send(Dispatcher.error(request != null ? Long.valueOf(request.id()) : fault.requestId(), "BUSY",
                            "more than " + MAX_IN_FLIGHT + " requests in flight"));
                    continue;
                }
                ToService.Request typed = request;
                MessageException bad = fault;
                Threads.virtual("culvertd-request").start(() -> {
                    try {
                        Dispatcher.Reply reply = typed != null ? dispatcher.handle(this, typed) : dispatcher.refuse(this, bad);
                        send(reply.message());
                        if (reply.announce() != null) {
                            registry.announce(reply.announce());
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } catch (JsonException e) {
            fail("BAD_REQUEST", e.getMessage());
        } catch (IOException e) {
            LOG.debug("connection of {} ended: {}", caller.describe(), e.toString());
        } finally {
            close();
        }
    }

    private boolean hello() throws IOException, JsonException {
        AtomicBoolean greeted = new AtomicBoolean();
        Threads.virtual("culvertd-hello-timeout").start(() -> {
            try {
                Thread.sleep(limits.handshakeTimeout().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (!greeted.get()) {
                LOG.info("closing connection of {}: no hello within {} ms", caller.describe(), limits.handshakeTimeout().toMillis());
                close();
            }
        });
        String line = lines.read();
        greeted.set(true);
        ToService hello;
        try {
            hello = line == null ? null : MessageCodec.parseToService(line);
        } catch (MessageException e) {
            hello = null;
        }
        if (!(hello instanceof ToService.Hello h)) {
            fail("BAD_REQUEST", "the first message must be a hello");
            return false;
        }
        long version = h.version();
        if (version != Protocol.VERSION) {
            fail("UNSUPPORTED_VERSION", "this service speaks protocol version " + Protocol.VERSION + ", not " + version);
            return false;
        }
        ToClient.Welcome reply = new ToClient.Welcome(Protocol.VERSION, dispatcher.agent(), caller.account().name(),
                caller.uid(), caller.role().name(), limits.idleTimeout().toMillis());
        send(reply);
        return true;
    }

    /**
     * Closes the connection once it has gone {@link ServiceSettings.Limits#idleTimeout()} without a request while
     * nothing of its own is going on, so idle connections do not hold the slots other callers need.
     */
    private void closeWhenIdle() {
        long idle = limits.idleTimeout().toMillis();
        try {
            while (!closed.get()) {
                long left = lastRequest + idle - clock.millis();
                if (left <= 0) {
                    if (busy()) {
                        lastRequest = clock.millis();
                        continue;
                    }
                    String why = "closed after " + limits.idleTimeout().toMillis() + " ms without a request";
                    LOG.info("closing connection of {}: {}", caller.describe(), why);
                    send(new ToClient.Closing("IDLE", why)); // through the writer: a peer that does not read cannot hold this thread
                    close();
                    return;
                }
                Thread.sleep(Math.max(1, left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether something of this connection's own is going on: a request, a prompt, a watch or a handle it started. */
    private boolean busy() {
        return watching || inFlight.availablePermits() < MAX_IN_FLIGHT || !prompts.isEmpty()
                || subscriptions.stream().anyMatch(id -> registry.get(id) != null);
    }

    /** Sends a connection-level error, then closes once it is written. */
    void fail(String kind, String message) {
        LOG.info("closing connection of {}: {}", caller.describe(), message);
        try {
            lines.write(MessageCodec.write(new ToClient.Closing(kind, message)));
        } catch (IOException e) {
            LOG.debug("could not send the error: {}", e.toString());
        }
        close();
    }

    /** Queues a message; a full outbox means the peer stopped reading, and it is disconnected. */
    void send(ToClient message) {
        if (closed.get()) {
            return;
        }
        if (!outbox.offer(message)) {
            LOG.warn("{} is not reading its events; disconnecting it", caller.describe());
            close();
        }
    }

    private void drain() {
        try {
            while (true) {
                ToClient m = outbox.poll(1, TimeUnit.SECONDS);
                if (m != null) {
                    lines.write(MessageCodec.write(m));
                } else if (closed.get()) {
                    return;
                }
            }
        } catch (InterruptedException | IOException e) {
            close();
        }
    }

    boolean sees(Hosted h) {
        return subscriptions.contains(h.id()) || (watching && dispatcher.sees(caller, h));
    }

    void subscribe(Hosted h) {
        subscriptions.add(h.id());
    }

    void unsubscribe(Hosted h) {
        subscriptions.remove(h.id());
    }

    void watch() {
        watching = true;
    }

    /** Asks this caller for credentials on behalf of handle {@code h}; empty on cancel, timeout or disconnect. */
    Optional<UserPass> ask(Hosted h, String text) {
        long id = promptIds.incrementAndGet();
        CompletableFuture<Optional<UserPass>> answer = new CompletableFuture<>();
        prompts.put(id, answer);
        try {
            send(new ToClient.Prompt(h.id(), h.startRequest(), id, text));
            return answer.get(PROMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } finally {
            prompts.remove(id);
        }
    }

    /** Completes a pending prompt; false when there is none with that id. */
    boolean answer(long promptId, Optional<UserPass> value) {
        CompletableFuture<Optional<UserPass>> f = prompts.get(promptId);
        return f != null && f.complete(value);
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registry.remove(this);
        prompts.values().forEach(f -> f.complete(Optional.empty()));
        Threads.virtual("culvertd-close").start(() -> {
            try {
                Thread.sleep(200);
                channel.close();
            } catch (IOException | InterruptedException ignored) {
                // closing anyway
            }
        });
    }
}
