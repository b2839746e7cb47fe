package io.culvert.engine.remote;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.common.Threads;
import io.culvert.engine.daemon.protocol.JsonException;
import io.culvert.engine.daemon.protocol.LineChannel;
import io.culvert.engine.daemon.protocol.MessageCodec;
import io.culvert.engine.daemon.protocol.MessageException;
import io.culvert.engine.daemon.protocol.Op;
import io.culvert.engine.daemon.protocol.Operation;
import io.culvert.engine.daemon.protocol.Protocol;
import io.culvert.engine.daemon.protocol.Result;
import io.culvert.engine.daemon.protocol.ToClient;
import io.culvert.engine.daemon.protocol.ToService;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Engine} API over culvertd's Unix socket (docs/protocol.md): the app runs tunnels without privileges
 * and uses the same handles and events as in-process. One reader thread dispatches responses, events and
 * credential prompts; listeners are called on it and must not block. Thread-safe.
 */
public final class RemoteEngine implements Engine, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteEngine.class);
    /** Where the installed service listens. */
    public static final Path DEFAULT_SOCKET = Protocol.DEFAULT_SOCKET;
    static final long CALL_TIMEOUT_MILLIS = 60_000;
    static final long HELLO_TIMEOUT_MILLIS = 10_000;

    /** Who the service says we are. Immutable. */
    public record Identity(String user, long uid, String role, String serviceAgent) {
        public boolean isAdmin() {
            return "ADMIN".equals(role);
        }
    }

    /** A handle the reader delivers to. */
    interface Remote {
        void onEvent(EngineEvent event);

        void onStopped();

        CredentialsProvider credentials();
    }

    private record Pending(CompletableFuture<Object> future, Op op, Function<Result, Object> onReader) {}

    private final SocketChannel channel;
    private final LineChannel lines;
    private final InstantSource clock;
    private final Identity identity;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Remote> handles = new ConcurrentHashMap<>();
    /** Credentials of startClient requests still waiting for their response (the engine may ask while starting). */
    private final Map<Long, CredentialsProvider> starting = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile BiConsumer<String, EngineEvent> watcher;

    private RemoteEngine(SocketChannel channel, LineChannel lines, InstantSource clock, Identity identity) {
        this.channel = channel;
        this.lines = lines;
        this.clock = clock;
        this.identity = identity;
    }

    /** True when a service socket exists at {@code socket} (whether we may use it is learnt on connecting). */
    public static boolean available(Path socket) {
        return Files.exists(socket);
    }

    /**
     * Connects and says hello. Fails with {@link ErrorKind#PERMISSION_DENIED} when the caller is not in the
     * service's group (by the socket's permissions or the service's own check).
     */
    public static RemoteEngine connect(Path socket, String agent, InstantSource clock) throws EngineException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ErrorKind kind = String.valueOf(e.getMessage()).contains("ermission denied") ? ErrorKind.PERMISSION_DENIED : ErrorKind.INTERNAL;
            throw new EngineException(kind, "cannot connect to culvertd at " + socket + ": " + e.getMessage(), e);
        }
        LineChannel lines = new LineChannel(Channels.newInputStream(ch), Channels.newOutputStream(ch));
        AtomicBoolean answered = new AtomicBoolean();
        Threads.virtual("culvert-remote-hello-timeout").start(() -> {
            try {
                Thread.sleep(HELLO_TIMEOUT_MILLIS);
                if (!answered.get()) {
                    ch.close();
                }
            } catch (InterruptedException | IOException ignored) {
                // the watchdog only closes
            }
        });
        try {
            try {
                lines.write(MessageCodec.write(new ToService.Hello(Protocol.VERSION, agent)));
            } catch (IOException e) {
                // A refused caller may find the socket closed before its hello is written; the refusal is still readable.
                LOG.debug("hello not written: {}", e.toString());
            }
            String line = lines.read();
            answered.set(true);
            if (line == null) {
                throw new EngineException(ErrorKind.INTERNAL, "culvertd closed the connection without a reply");
            }
            ToClient reply = MessageCodec.parseToClient(line, request -> null);
            if (reply instanceof ToClient.Closing refused) {
                throw failure(refused.kind(), refused.message());
            }
            if (!(reply instanceof ToClient.Welcome welcome) || welcome.version() != Protocol.VERSION) {
                throw new EngineException(ErrorKind.INTERNAL, "culvertd answered with an unexpected hello: "
                        + reply.getClass().getSimpleName());
            }
            Identity id = new Identity(welcome.user(), welcome.uid(), welcome.role(), welcome.agent());
            RemoteEngine engine = new RemoteEngine(ch, lines, clock, id);
            Threads.platform("culvert-remote-reader").daemon().start(engine::readLoop);
            long idle = welcome.idleTimeoutMillis();
            if (idle > 0) {
                Threads.virtual("culvert-remote-keepalive").start(() -> engine.keepAlive(Math.max(50, idle / 2)));
            }
            return engine;
        } catch (IOException | JsonException | EngineException e) {
            answered.set(true);
            try {
                ch.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException(ErrorKind.INTERNAL, "culvertd hello failed: " + e.getMessage(), e);
        }
    }

    public Identity identity() {
        return identity;
    }

    /**
     * Sends a cheap request every {@code everyMillis} while open: the service closes connections that go its idle
     * timeout without a request, and the app keeps this one for its lifetime.
     */
    private void keepAlive(long everyMillis) {
        try {
            while (!closed.get()) {
                Thread.sleep(everyMillis);
                if (!closed.get()) {
                    try {
                        call(new Operation.ListHandles());
                    } catch (EngineException e) {
                        LOG.debug("keepalive: {}", e.getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Starts a client in the service. File references in the profile are read here, with the caller's rights,
     * and sent inline ({@link ClientInliner}); the service opens no path a caller names, admins' included.
     */
    @Override
    public ClientHandle startClient(String profileText, Path baseDir, EngineListener listener, CredentialsProvider credentials)
            throws EngineException {
        ClientInliner.ForService profile = ClientInliner.forService(profileText, baseDir);
        CredentialsProvider prompts = profile.askpass().isPresent() ? withPassphrase(credentials, profile.askpass().get())
                : credentials;
        Operation.StartClient start = new Operation.StartClient(profile.profile());
        checkSize(start, "the profile with its files");
        Object handle = callRegistering(start, prompts, result -> {
            Result.ClientStarted started = (Result.ClientStarted) result;
            RemoteClientHandle h = new RemoteClientHandle(this, started.handle(),
                    started.state() != null ? started.state() : ConnectionState.CONNECTING, listener, prompts);
            handles.put(h.id(), h);
            return h;
        });
        return (ClientHandle) handle;
    }

    /** Answers the service's private-key prompt with the profile's askpass passphrase, everything else as before. */
    private static CredentialsProvider withPassphrase(CredentialsProvider inner, String passphrase) {
        return prompt -> CredentialsProvider.isPrivateKeyPrompt(prompt)
                ? java.util.Optional.of(new io.culvert.engine.api.UserPass("", passphrase))
                : inner == null ? java.util.Optional.empty() : inner.userPass(prompt);
    }

    /**
     * Starts a server in the service (admins only). Like {@link #startClient}, every file the config names is read
     * here with the caller's rights ({@link ServerInliner}): keys and the CRL go inline, client-config-dir entries
     * alongside; the service keeps them in a state folder of its own. Scripts, plugins and {@code management} are
     * refused before anything is sent.
     */
    @Override
    public ServerHandle startServer(String configText, Path baseDir, EngineListener listener) throws EngineException {
        ServerInliner.SelfContained sc = ServerInliner.inline(configText, baseDir);
        Operation.StartServer start = new Operation.StartServer(sc.config(), sc.ccd());
        checkSize(start, "the server config with its files and client-config-dir entries");
        Object handle = callRegistering(start, null, result -> {
            Result.ServerStarted started = (Result.ServerStarted) result;
            RemoteServerHandle h = new RemoteServerHandle(this, started.handle(), String.valueOf(started.listenAddress()), listener);
            handles.put(h.id(), h);
            return h;
        });
        return (ServerHandle) handle;
    }

    /** Refuses an operation whose request would exceed the protocol's line limit (the service would drop the connection). */
    static void checkSize(Operation operation, String what) throws EngineException {
        int bytes = MessageCodec.argumentBytes(operation);
        if (bytes > Protocol.MAX_LINE_BYTES - 1024) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, what + " take " + bytes + " bytes, more than culvertd accepts in"
                    + " one request (" + (Protocol.MAX_LINE_BYTES - 1024) + ")");
        }
    }

    /**
     * Receives the events of every handle this caller may see (its own; all for an admin), started by any
     * connection, with the handle's id; returns the handles running now as the service lists them.
     */
    public List<Result.HandleEntry> watch(BiConsumer<String, EngineEvent> listener) throws EngineException {
        watcher = listener;
        return ((Result.Handles) call(new Operation.Watch())).handles();
    }

    /** The handles this caller may see, as the service lists them (docs/protocol.md, {@code list}). */
    public List<Result.HandleEntry> list() throws EngineException {
        return ((Result.Handles) call(new Operation.ListHandles())).handles();
    }

    /** Sends {@code operation} and waits for its result. */
    Result call(Operation operation) throws EngineException {
        return (Result) callRegistering(operation, null, result -> result);
    }

    /** Sends a request whose outcome only matters to the log. */
    void callAsync(Operation operation) {
        String op = operation.op().wire();
        Threads.virtual("culvert-remote-" + op).start(() -> {
            try {
                call(operation);
            } catch (EngineException e) {
                LOG.warn("{} failed: {}", op, e.getMessage());
            }
        });
    }

    /** Sends a request; {@code onReader} turns the result into the return value on the reader thread, before later events. */
    private Object callRegistering(Operation operation, CredentialsProvider credentials, Function<Result, Object> onReader)
            throws EngineException {
        if (closed.get()) {
            throw new EngineException(ErrorKind.INTERNAL, "the connection to culvertd is closed");
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Object> future = new CompletableFuture<>();
        pending.put(id, new Pending(future, operation.op(), onReader));
        if (credentials != null) {
            starting.put(id, credentials);
        }
        String op = operation.op().wire();
        try {
            lines.write(MessageCodec.write(new ToService.Request(id, operation)));
            return future.get(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.INTERNAL, "lost the connection to culvertd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorKind.INTERNAL, "interrupted waiting for culvertd", e);
        } catch (TimeoutException e) {
            throw new EngineException(ErrorKind.INTERNAL, "culvertd did not answer '" + op + "' in time", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException(ErrorKind.INTERNAL, String.valueOf(e.getCause()), e.getCause());
        } finally {
            pending.remove(id);
            starting.remove(id);
        }
    }

    /** The operation of pending request {@code id}, or null: tells the codec how to read its result. */
    private Op pendingOp(long id) {
        Pending p = pending.get(id);
        return p == null ? null : p.op();
    }

    private void readLoop() {
        String why = "culvertd closed the connection";
        try {
            String line;
            while ((line = lines.read()) != null) {
                ToClient msg;
                try {
                    msg = MessageCodec.parseToClient(line, this::pendingOp);
                } catch (MessageException e) {
                    if (!skip(e)) {
                        throw e;
                    }
                    continue;
                }
                dispatch(msg);
            }
        } catch (IOException | JsonException e) {
            if (!closed.get()) {
                why = "lost the connection to culvertd: " + e.getMessage();
            }
        } finally {
            boolean wasOpen = closed.compareAndSet(false, true);
            EngineException failure = new EngineException(ErrorKind.INTERNAL, why);
            pending.values().forEach(p -> p.future().completeExceptionally(failure));
            if (wasOpen) {
                LOG.warn(why);
                EngineEvent.Log lost = new EngineEvent.Log(clock.instant(), EngineEvent.Level.WARN, why);
                handles.values().forEach(h -> h.onEvent(lost));
            }
        }
    }

    /**
     * Whether the reader goes on after {@code e}: a message of a type this client does not know is ignored, and a
     * response whose result does not read fails only its own request; anything else ends the connection.
     */
    private boolean skip(MessageException e) {
        if (e.reason() == MessageException.Reason.UNKNOWN_TYPE) {
            LOG.debug("ignoring a message: {}", e.getMessage());
            return true;
        }
        Pending p = e.requestId() == null ? null : pending.get(e.requestId());
        if (p == null) {
            return false;
        }
        p.future().completeExceptionally(new EngineException(ErrorKind.INTERNAL,
                "culvertd answered '" + e.op() + "' with an unreadable result: " + e.getMessage()));
        return true;
    }

    private void dispatch(ToClient msg) {
        switch (msg) {
            case ToClient.Ok ok -> {
                Pending p = pending.get(ok.id());
                if (p != null) {
                    p.future().complete(p.onReader().apply(ok.result()));
                }
            }
            case ToClient.Failed f -> {
                Pending p = f.id() == null ? null : pending.get(f.id());
                if (p != null) {
                    p.future().completeExceptionally(failure(f.kind(), f.message()));
                }
            }
            case ToClient.Event e -> {
                Remote r = handles.get(e.handle());
                if (r != null) {
                    r.onEvent(e.event());
                }
                BiConsumer<String, EngineEvent> w = watcher;
                if (w != null) {
                    w.accept(e.handle(), e.event());
                }
            }
            case ToClient.Stopped s -> {
                Remote r = handles.remove(s.handle());
                if (r != null) {
                    r.onStopped();
                }
            }
            case ToClient.Prompt p -> prompt(p);
            case ToClient.Closing c -> LOG.warn("culvertd: {} {}", c.kind(), c.message());
            case ToClient.Welcome w -> LOG.debug("ignoring a second hello");
        }
    }

    private void prompt(ToClient.Prompt msg) {
        Remote r = handles.get(msg.handle());
        CredentialsProvider provider = r != null ? r.credentials() : starting.get(msg.request());
        Threads.virtual("culvert-remote-prompt").start(() -> {
            Optional<UserPass> answer = provider == null ? Optional.empty() : provider.userPass(msg.text());
            callAsync(new Operation.AnswerPrompt(msg.prompt(), answer));
        });
    }

    /** An {@link ErrorKind} for a protocol error kind; the protocol's own kinds become INTERNAL with the kind named. */
    static EngineException failure(String kind, String message) {
        for (ErrorKind k : ErrorKind.values()) {
            if (k.name().equals(kind)) {
                // The service sends an EngineException's message, which already starts with its kind.
                String prefix = k.name() + ": ";
                return new EngineException(k, message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message);
            }
        }
        return new EngineException(ErrorKind.INTERNAL, kind + ": " + message);
    }

    /** Closes the connection; tunnels keep running in the service (the owner can find them again with {@link #list}). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("close: {}", e.toString());
            }
        }
    }
}
