package io.culvert.engine.service;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.service.protocol.Fields;
import io.culvert.engine.service.protocol.JsonException;
import io.culvert.engine.service.protocol.Protocol;
import io.culvert.engine.service.protocol.Wire;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request into one response: checks the caller's right to the operation and to the handle it names
 * ({@link Authorizer}), then drives the engine. Every request is checked; nothing is remembered between
 * requests except the handles themselves. Thread-safe.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Most clients one non-admin user may run at once. */
    static final int MAX_CLIENTS_PER_USER = 8;
    /** What relative names would resolve against; no request names a file, so nothing does. */
    private static final Path ROOT = Path.of("/");

    private final Engine engine;
    private final Authorizer authorizer;
    private final Registry registry;
    private final String agent;
    private final Path serverStates;

    /** {@code serverStates} holds one state folder per hosted server ({@link ServerFolder}). */
    Dispatcher(Engine engine, Authorizer authorizer, Registry registry, String agent, Path serverStates) {
        this.engine = engine;
        this.authorizer = authorizer;
        this.registry = registry;
        this.agent = agent;
        this.serverStates = serverStates;
    }

    String agent() {
        return agent;
    }

    /** A failure to report; {@code kind} is an {@code ErrorKind} name or one of the protocol's own kinds. */
    private static final class Refusal extends Exception {
        final String kind;

        Refusal(String kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    /** A response, and the handle to announce once it is queued (or null). */
    record Reply(Map<String, Object> message, Hosted announce) {}

    /** What an operation produced: the result object, and a newly started handle (or null). */
    private record Result(Map<String, Object> value, Hosted started) {
        static Result of(Map<String, Object> value) {
            return new Result(value, null);
        }
    }

    Reply handle(Connection conn, Map<String, Object> request) {
        Object id = request.get("id");
        String op = request.get("op") instanceof String s ? s : "";
        try {
            if (!(id instanceof Long)) {
                throw new Refusal("BAD_REQUEST", "a request needs an integer id");
            }
            Map<String, Object> args = Fields.optObj(request, "args");
            refuseIf(conn, op, authorizer.refusal(conn.caller(), op, -1));
            Hosted target = null;
            if (args.containsKey("handle")) {
                // One answer for "not there" and "not yours": another user's handle cannot be told from a missing one.
                target = args.get("handle") instanceof String h ? registry.get(h) : null;
                if (target == null || !sees(conn.caller(), target)) {
                    throw new Refusal("NOT_FOUND", "no such handle");
                }
                refuseIf(conn, op, authorizer.refusal(conn.caller(), op, target.owner().uid()));
            }
            Result r = run(conn, (Long) id, op, args, target);
            return new Reply(ok(id, r.value()), r.started());
        } catch (Refusal r) {
            return new Reply(error(id, r.kind, r.getMessage()), null);
        } catch (JsonException e) {
            return new Reply(error(id, "BAD_REQUEST", e.getMessage()), null);
        } catch (EngineException e) {
            return new Reply(error(id, e.kind().name(), e.getMessage()), null);
        } catch (RuntimeException e) {
            LOG.warn("{} failed", op, e);
            return new Reply(error(id, "INTERNAL", e.toString()), null);
        } catch (Error e) {
            // An out-of-memory in one request must still answer it (and the start paths have cleaned up after it).
            LOG.error("{} failed", op, e);
            return new Reply(error(id, "INTERNAL", "culvertd failed (" + e.getClass().getSimpleName() + ")"), null);
        }
    }

    private static void refuseIf(Connection conn, String op, String refusal) throws Refusal {
        if (refusal != null) {
            LOG.info("refused {} for {}: {}", op, conn.caller().describe(), refusal);
            throw new Refusal("PERMISSION_DENIED", refusal);
        }
    }

    /** Whether {@code caller} may know of {@code h}: its own handles, everyone's for an admin. */
    boolean sees(Caller caller, Hosted h) {
        return authorizer.sees(caller, h.owner().uid());
    }

    private Result run(Connection conn, long requestId, String op, Map<String, Object> args, Hosted target)
            throws Refusal, JsonException, EngineException {
        return switch (op) {
            case Protocol.OP_START_CLIENT -> startClient(conn, requestId, args);
            case Protocol.OP_DISCONNECT -> {
                client(target).disconnect();
                yield Result.of(Map.of());
            }
            case Protocol.OP_CLIENT_STATUS -> Result.of(clientStatus(client(target)));
            case Protocol.OP_LIST -> Result.of(Map.of("handles", list(conn.caller())));
            case Protocol.OP_WATCH -> {
                conn.watch();
                yield Result.of(Map.of("handles", list(conn.caller())));
            }
            case Protocol.OP_ANSWER_PROMPT -> Result.of(answer(conn, args));
            case Protocol.OP_START_SERVER -> startServer(conn, requestId, args);
            case Protocol.OP_STOP_SERVER -> {
                server(target).stop();
                yield Result.of(Map.of());
            }
            case Protocol.OP_SERVER_STATUS -> Result.of(serverStatus(server(target)));
            case Protocol.OP_KICK -> {
                server(target).kick(Fields.integer(args, "peerId"));
                yield Result.of(Map.of());
            }
            case Protocol.OP_UPDATE_SERVER_FILES -> {
                server(target);
                if (target.folder() == null) {
                    throw new Refusal("BAD_REQUEST", "that server has no state folder");
                }
                ServerFileUpdate update = ServerFiles.update(args);
                target.folder().update(update);
                LOG.info("{} updated the files of server {}", conn.caller().describe(), target.id());
                // Connected clients whose ccd entry changed get their routes now (PUSH_UPDATE), as in-process.
                for (String cn : update.changedCommonNames()) {
                    server(target).refreshClientRoutes(cn);
                }
                yield Result.of(Map.of());
            }
            case Protocol.OP_PUSH_UPDATE -> {
                int sent = server(target).pushUpdate(Fields.integer(args, "peerId"), Fields.str(args, "options"));
                LOG.info("{} sent a PUSH_UPDATE through server {} to {} client(s)", conn.caller().describe(), target.id(), sent);
                yield Result.of(Map.of("sent", (long) sent));
            }
            default -> throw new Refusal("BAD_REQUEST", "unknown operation '" + op + "'");
        };
    }

    private Result startClient(Connection conn, long requestId, Map<String, Object> args)
            throws Refusal, JsonException, EngineException {
        String profile = Fields.str(args, "profile");
        Caller caller = conn.caller();
        List<String> refusals;
        try {
            refusals = ProfilePolicy.refusals(OvpnFile.parse(profile));
        } catch (OvpnParseException e) {
            throw new EngineException(io.culvert.engine.api.ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        if (!refusals.isEmpty()) {
            throw new Refusal("PERMISSION_DENIED", String.join("; ", refusals));
        }
        if (!caller.isAdmin() && registry.countOwnedBy(caller.uid(), Hosted.Kind.CLIENT) >= MAX_CLIENTS_PER_USER) {
            throw new Refusal("BUSY", "at most " + MAX_CLIENTS_PER_USER + " connections per user");
        }
        Hosted h = registry.create(Hosted.Kind.CLIENT, caller.account(), conn, requestId);
        ClientHandle handle = null;
        try {
            conn.subscribe(h);
            // The profile names no file (ProfilePolicy), so no folder resolves anything for the caller.
            handle = engine.startClient(profile, ROOT, listener(h), prompt -> ask(h, prompt));
            h.client(handle);
        } finally {
            if (handle == null) {
                // Whatever ended the start (a refusal, a bug, an Error), no handle without a client is left behind.
                registry.remove(h);
                conn.unsubscribe(h);
            }
        }
        LOG.info("{} started client {}", caller.describe(), h.id());
        watchUntilStopped(h, handle::awaitStopped);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("handle", h.id());
        result.put("state", handle.state().name());
        return new Result(result, h);
    }

    private Result startServer(Connection conn, long requestId, Map<String, Object> args) throws JsonException, EngineException {
        String config = Fields.str(args, "config");
        Map<String, String> ccd = ServerFiles.ccd(args);
        Hosted h = registry.create(Hosted.Kind.SERVER, conn.caller().account(), conn, requestId);
        ServerHandle handle = null;
        try {
            ServerFolder folder = ServerFolder.create(serverStates, h.id(), config, ccd);
            h.folder(folder);
            conn.subscribe(h);
            handle = engine.startServer(folder.config(), folder.dir(), listener(h));
            h.server(handle);
        } finally {
            if (handle == null) {
                // No handle without a server and no state folder survive a failed start, whatever failed.
                registry.remove(h);
                conn.unsubscribe(h);
                ServerFolder.discard(serverStates, h.id());
            }
        }
        LOG.info("{} started server {} on {} (state in {})", conn.caller().describe(), h.id(), handle.listenAddress(),
                h.folder().dir());
        watchUntilStopped(h, handle::awaitStopped);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("handle", h.id());
        result.put("listenAddress", handle.listenAddress());
        return new Result(result, h);
    }

    private EngineListener listener(Hosted h) {
        return event -> registry.publish(h, Registry.event(h, Wire.event(event)));
    }

    private Optional<UserPass> ask(Hosted h, String prompt) {
        Connection target = h.promptTarget();
        return target == null ? Optional.empty() : target.ask(h, prompt);
    }

    private interface Awaiter {
        boolean await(long millis) throws InterruptedException;
    }

    private void watchUntilStopped(Hosted h, Awaiter stopped) {
        Threads.virtual("culvertd-watch-" + h.id()).start(() -> {
            try {
                while (!stopped.await(60_000)) {
                    // still running
                }
            } catch (InterruptedException e) {
                return;
            }
            registry.publish(h, Registry.stopped(h));
            registry.remove(h);
            if (h.folder() != null) {
                h.folder().delete();
            }
            LOG.info("{} {} stopped", h.kind().name().toLowerCase(java.util.Locale.ROOT), h.id());
        });
    }

    private Map<String, Object> answer(Connection conn, Map<String, Object> args) throws JsonException, Refusal {
        long prompt = Fields.lng(args, "prompt");
        Optional<UserPass> value = Boolean.TRUE.equals(args.get("cancel")) ? Optional.empty()
                : Optional.of(new UserPass(Fields.str(args, "username"), Fields.str(args, "password")));
        if (!conn.answer(prompt, value)) {
            throw new Refusal("NOT_FOUND", "no such prompt");
        }
        return Map.of();
    }

    private static Map<String, Object> clientStatus(ClientHandle c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", c.state().name());
        ConnectionInfo info = c.connectionInfo();
        m.put("info", info == null ? null : Wire.info(info));
        m.put("stats", Wire.stats(c.stats()));
        return m;
    }

    private static Map<String, Object> serverStatus(ServerHandle s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listenAddress", s.listenAddress());
        m.put("instances", s.instances().stream().map(Wire::instance).toList());
        m.put("flows", s.flows().stream().map(Wire::flow).toList());
        return m;
    }

    private List<Object> list(Caller caller) {
        List<Object> out = new ArrayList<>();
        for (Hosted h : registry.all()) {
            if (!sees(caller, h)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("handle", h.id());
            m.put("kind", h.kind().name());
            m.put("owner", h.owner().name());
            m.put("ownerUid", h.owner().uid());
            if (h.client() != null) {
                m.put("state", h.client().state().name());
            }
            if (h.server() != null) {
                m.put("listenAddress", h.server().listenAddress());
            }
            out.add(m);
        }
        return out;
    }

    private static ClientHandle client(Hosted h) throws Refusal {
        if (h == null || h.client() == null) {
            throw new Refusal("BAD_REQUEST", "the request needs the handle of a client");
        }
        return h.client();
    }

    private static ServerHandle server(Hosted h) throws Refusal {
        if (h == null || h.server() == null) {
            throw new Refusal("BAD_REQUEST", "the request needs the handle of a server");
        }
        return h.server();
    }

    static Map<String, Object> ok(Object id, Map<String, Object> result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", Protocol.RESPONSE);
        m.put("id", id);
        m.put("ok", true);
        m.put("result", result);
        return m;
    }

    static Map<String, Object> error(Object id, String kind, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", Protocol.RESPONSE);
        m.put("id", id instanceof Long ? id : null);
        m.put("ok", false);
        m.put("error", Map.of("kind", kind, "message", message == null ? "" : message));
        return m;
    }
}
