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
import io.culvert.engine.service.ServiceSettings;
import io.culvert.engine.service.protocol.Fields;
import io.culvert.engine.service.protocol.Json;
import io.culvert.engine.service.protocol.JsonException;
import io.culvert.engine.service.protocol.LineChannel;
import io.culvert.engine.service.protocol.Protocol;
import io.culvert.engine.service.protocol.Wire;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
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
    public static final Path DEFAULT_SOCKET = ServiceSettings.DEFAULT_SOCKET;
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

    private record Pending(CompletableFuture<Map<String, Object>> future, Function<Map<String, Object>, Object> onReader) {}

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
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("type", Protocol.HELLO);
            hello.put("version", (long) Protocol.VERSION);
            hello.put("agent", agent);
            try {
                lines.write(hello);
            } catch (IOException e) {
                // A refused caller may find the socket closed before its hello is written; the refusal is still readable.
                LOG.debug("hello not written: {}", e.toString());
            }
            Map<String, Object> reply = lines.read();
            answered.set(true);
            if (reply == null) {
                throw new EngineException(ErrorKind.INTERNAL, "culvertd closed the connection without a reply");
            }
            if (Protocol.ERROR.equals(reply.get("type"))) {
                throw failure(Fields.str(reply, "kind"), Fields.str(reply, "message"));
            }
            if (!Protocol.HELLO.equals(reply.get("type")) || Fields.lng(reply, "version") != Protocol.VERSION) {
                throw new EngineException(ErrorKind.INTERNAL, "culvertd answered with an unexpected hello: " + reply.get("type"));
            }
            Identity id = new Identity(Fields.str(reply, "user"), Fields.lng(reply, "uid"), Fields.str(reply, "role"),
                    Fields.str(reply, "agent"));
            RemoteEngine engine = new RemoteEngine(ch, lines, clock, id);
            Threads.platform("culvert-remote-reader").daemon().start(engine::readLoop);
            if (reply.get("idleTimeoutMillis") instanceof Long idle && idle > 0) {
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
                        call(Protocol.OP_LIST, Map.of());
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
        java.util.Optional<String> askpass = ClientInliner.askpass(profileText, baseDir);
        CredentialsProvider prompts = askpass.isPresent() ? withPassphrase(credentials, askpass.get()) : credentials;
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("profile", ClientInliner.inline(profileText, baseDir));
        checkSize(args, "the profile with its files");
        Object handle = callRegistering(Protocol.OP_START_CLIENT, args, prompts, result -> {
            RemoteClientHandle h = new RemoteClientHandle(this, (String) result.get("handle"),
                    result.get("state") instanceof String s ? ConnectionState.valueOf(s) : ConnectionState.CONNECTING,
                    listener, prompts);
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
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("config", sc.config());
        args.put("ccd", new LinkedHashMap<String, Object>(sc.ccd()));
        checkSize(args, "the server config with its files and client-config-dir entries");
        Object handle = callRegistering(Protocol.OP_START_SERVER, args, null, result -> {
            RemoteServerHandle h = new RemoteServerHandle(this, (String) result.get("handle"),
                    String.valueOf(result.get("listenAddress")), listener);
            handles.put(h.id(), h);
            return h;
        });
        return (ServerHandle) handle;
    }

    /** Refuses arguments whose request would exceed the protocol's line limit (the service would drop the connection). */
    static void checkSize(Map<String, Object> args, String what) throws EngineException {
        int bytes = Json.write(args).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > Protocol.MAX_LINE_BYTES - 1024) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, what + " take " + bytes + " bytes, more than culvertd accepts in"
                    + " one request (" + (Protocol.MAX_LINE_BYTES - 1024) + ")");
        }
    }

    /**
     * Receives the events of every handle this caller may see (its own; all for an admin), started by any
     * connection, with the handle's id; returns the handles running now as the service lists them.
     */
    public List<Object> watch(BiConsumer<String, EngineEvent> listener) throws EngineException {
        watcher = listener;
        return Fields.listOrEmpty(call(Protocol.OP_WATCH, Map.of()), "handles");
    }

    /** The handles this caller may see, as the service lists them (docs/protocol.md, {@code list}). */
    public List<Object> list() throws EngineException {
        return Fields.listOrEmpty(call(Protocol.OP_LIST, Map.of()), "handles");
    }

    Map<String, Object> call(String op, Map<String, Object> args) throws EngineException {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) callRegistering(op, args, null, result -> result);
        return r;
    }

    /** Sends a request whose outcome only matters to the log. */
    void callAsync(String op, Map<String, Object> args) {
        Threads.virtual("culvert-remote-" + op).start(() -> {
            try {
                call(op, args);
            } catch (EngineException e) {
                LOG.warn("{} failed: {}", op, e.getMessage());
            }
        });
    }

    /** Sends a request; {@code onReader} turns the result into the return value on the reader thread, before later events. */
    private Object callRegistering(String op, Map<String, Object> args, CredentialsProvider credentials,
            Function<Map<String, Object>, Object> onReader) throws EngineException {
        if (closed.get()) {
            throw new EngineException(ErrorKind.INTERNAL, "the connection to culvertd is closed");
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> future = new CompletableFuture<>();
        pending.put(id, new Pending(future, onReader));
        if (credentials != null) {
            starting.put(id, credentials);
        }
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("type", Protocol.REQUEST);
        req.put("id", id);
        req.put("op", op);
        req.put("args", args);
        try {
            lines.write(req);
            Map<String, Object> response = future.get(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return response.get("value");
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

    private void readLoop() {
        String why = "culvertd closed the connection";
        try {
            Map<String, Object> msg;
            while ((msg = lines.read()) != null) {
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

    private void dispatch(Map<String, Object> msg) throws JsonException {
        String type = Fields.str(msg, "type");
        switch (type) {
            case Protocol.RESPONSE -> response(msg);
            case Protocol.EVENT -> {
                String handle = Fields.str(msg, "handle");
                EngineEvent event = Wire.event(Fields.obj(msg, "event"));
                Remote r = handles.get(handle);
                if (r != null) {
                    r.onEvent(event);
                }
                BiConsumer<String, EngineEvent> w = watcher;
                if (w != null) {
                    w.accept(handle, event);
                }
            }
            case Protocol.STOPPED -> {
                Remote r = handles.remove(Fields.str(msg, "handle"));
                if (r != null) {
                    r.onStopped();
                }
            }
            case Protocol.PROMPT -> prompt(msg);
            case Protocol.ERROR -> LOG.warn("culvertd: {} {}", msg.get("kind"), msg.get("message"));
            default -> LOG.debug("ignoring message of type {}", type);
        }
    }

    private void response(Map<String, Object> msg) throws JsonException {
        Pending p = msg.get("id") instanceof Long id ? pending.get(id) : null;
        if (p == null) {
            return;
        }
        if (Fields.bool(msg, "ok")) {
            Object value = p.onReader().apply(Fields.optObj(msg, "result"));
            Map<String, Object> wrapped = new LinkedHashMap<>();
            wrapped.put("value", value);
            p.future().complete(wrapped);
        } else {
            Map<String, Object> err = Fields.obj(msg, "error");
            p.future().completeExceptionally(failure(Fields.str(err, "kind"), Fields.str(err, "message")));
        }
    }

    private void prompt(Map<String, Object> msg) throws JsonException {
        Remote r = handles.get(Fields.str(msg, "handle"));
        CredentialsProvider provider = r != null ? r.credentials()
                : msg.get("request") instanceof Long req ? starting.get(req) : null;
        long prompt = Fields.lng(msg, "prompt");
        String text = Fields.str(msg, "text");
        Threads.virtual("culvert-remote-prompt").start(() -> {
            Optional<UserPass> answer = provider == null ? Optional.empty() : provider.userPass(text);
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("prompt", prompt);
            if (answer.isPresent()) {
                args.put("username", answer.get().username());
                args.put("password", answer.get().password());
            } else {
                args.put("cancel", true);
            }
            callAsync(Protocol.OP_ANSWER_PROMPT, args);
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
