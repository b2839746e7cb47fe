package io.culvert.engine.service;

import io.culvert.engine.daemon.policy.ProfilePolicy;
import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.daemon.protocol.MessageException;
import io.culvert.engine.daemon.protocol.Operation;
import io.culvert.engine.daemon.protocol.Result;
import io.culvert.engine.daemon.protocol.ToClient;
import io.culvert.engine.daemon.protocol.ToService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    record Reply(ToClient message, Hosted announce) {}

    /** What an operation produced: the result, and a newly started handle (or null). */
    private record Outcome(Result value, Hosted started) {
        static Outcome of(Result value) {
            return new Outcome(value, null);
        }
    }

    private static final Result DONE = new Result.Done();

    Reply handle(Connection conn, ToService.Request request) {
        long id = request.id();
        Operation op = request.operation();
        try {
            refuseIf(conn, op.op().wire(), authorizer.refusal(conn.caller(), op.op(), -1));
            Hosted target = null;
            if (op instanceof Operation.OnHandle on) {
                // One answer for "not there" and "not yours": another user's handle cannot be told from a missing one.
                target = registry.get(on.handle());
                if (target == null || !sees(conn.caller(), target)) {
                    throw new Refusal("NOT_FOUND", "no such handle");
                }
                refuseIf(conn, op.op().wire(), authorizer.refusal(conn.caller(), op.op(), target.owner().uid()));
            }
            Outcome r = run(conn, id, op, target);
            return new Reply(new ToClient.Ok(id, r.value()), r.started());
        } catch (Refusal r) {
            return new Reply(error(id, r.kind, r.getMessage()), null);
        } catch (EngineException e) {
            return new Reply(error(id, e.kind().name(), e.getMessage()), null);
        } catch (RuntimeException e) {
            LOG.warn("{} failed", op.op().wire(), e);
            return new Reply(error(id, "INTERNAL", e.toString()), null);
        } catch (Error e) {
            // An out-of-memory in one request must still answer it (and the start paths have cleaned up after it).
            LOG.error("{} failed", op.op().wire(), e);
            return new Reply(error(id, "INTERNAL", "culvertd failed (" + e.getClass().getSimpleName() + ")"), null);
        }
    }

    /**
     * Answers a request the codec could not type ({@code fault} names its id and op when readable): a caller that may
     * not use the operation at all is told so first, as for a well-formed request; otherwise it is a BAD_REQUEST.
     */
    Reply refuse(Connection conn, MessageException fault) {
        Long id = fault.requestId();
        if (id != null) {
            String refusal = authorizer.refusal(conn.caller(), fault.op());
            if (refusal != null) {
                LOG.info("refused {} for {}: {}", fault.op(), conn.caller().describe(), refusal);
                return new Reply(error(id, "PERMISSION_DENIED", refusal), null);
            }
        }
        return new Reply(error(id, "BAD_REQUEST", fault.getMessage()), null);
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

    private Outcome run(Connection conn, long requestId, Operation op, Hosted target)
            throws Refusal, EngineException {
        return switch (op) {
            case Operation.StartClient s -> startClient(conn, requestId, s.profile());
            case Operation.Disconnect d -> {
                client(target).disconnect();
                yield Outcome.of(DONE);
            }
            case Operation.ClientStatus c -> Outcome.of(clientStatus(client(target)));
            case Operation.ListHandles l -> Outcome.of(list(conn.caller()));
            case Operation.Watch w -> {
                conn.watch();
                yield Outcome.of(list(conn.caller()));
            }
            case Operation.AnswerPrompt a -> {
                if (!conn.answer(a.prompt(), a.answer())) {
                    throw new Refusal("NOT_FOUND", "no such prompt");
                }
                yield Outcome.of(DONE);
            }
            case Operation.StartServer s -> startServer(conn, requestId, s);
            case Operation.StopServer s -> {
                server(target).stop();
                yield Outcome.of(DONE);
            }
            case Operation.ServerStatus s -> Outcome.of(serverStatus(server(target)));
            case Operation.Kick k -> {
                server(target).kick(k.peerId());
                yield Outcome.of(DONE);
            }
            case Operation.UpdateServerFiles u -> {
                server(target);
                if (target.folder() == null) {
                    throw new Refusal("BAD_REQUEST", "that server has no state folder");
                }
                ServerFileUpdate update = u.update();
                target.folder().update(update);
                LOG.info("{} updated the files of server {}", conn.caller().describe(), target.id());
                // Connected clients whose ccd entry changed get their routes now (PUSH_UPDATE), as in-process.
                for (String cn : update.changedCommonNames()) {
                    server(target).refreshClientRoutes(cn);
                }
                yield Outcome.of(DONE);
            }
            case Operation.PushUpdate p -> {
                int sent = server(target).pushUpdate(p.peerId(), p.options());
                LOG.info("{} sent a PUSH_UPDATE through server {} to {} client(s)", conn.caller().describe(), target.id(), sent);
                yield Outcome.of(new Result.Sent(sent));
            }
        };
    }

    private Outcome startClient(Connection conn, long requestId, String profile) throws Refusal, EngineException {
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
        if (!caller.isAdmin() && registry.countOwnedBy(caller.uid(), Result.Kind.CLIENT) >= MAX_CLIENTS_PER_USER) {
            throw new Refusal("BUSY", "at most " + MAX_CLIENTS_PER_USER + " connections per user");
        }
        Hosted h = registry.create(Result.Kind.CLIENT, caller.account(), conn, requestId);
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
        return new Outcome(new Result.ClientStarted(h.id(), handle.state()), h);
    }

    private Outcome startServer(Connection conn, long requestId, Operation.StartServer start) throws EngineException {
        Hosted h = registry.create(Result.Kind.SERVER, conn.caller().account(), conn, requestId);
        ServerHandle handle = null;
        try {
            ServerFolder folder = ServerFolder.create(serverStates, h.id(), start.config(), start.ccd());
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
        return new Outcome(new Result.ServerStarted(h.id(), handle.listenAddress()), h);
    }

    private EngineListener listener(Hosted h) {
        return event -> registry.publish(h, new ToClient.Event(h.id(), event));
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
            registry.publish(h, new ToClient.Stopped(h.id()));
            registry.remove(h);
            if (h.folder() != null) {
                h.folder().delete();
            }
            LOG.info("{} {} stopped", h.kind().name().toLowerCase(java.util.Locale.ROOT), h.id());
        });
    }

    private static Result clientStatus(ClientHandle c) {
        return new Result.ClientStatus(c.state(), c.connectionInfo(), c.stats());
    }

    private static Result serverStatus(ServerHandle s) {
        return new Result.ServerStatus(s.listenAddress(), s.instances(), s.flows());
    }

    private Result.Handles list(Caller caller) {
        List<Result.HandleEntry> out = new ArrayList<>();
        for (Hosted h : registry.all()) {
            if (!sees(caller, h)) {
                continue;
            }
            out.add(new Result.HandleEntry(h.id(), h.kind(), h.owner().name(), h.owner().uid(),
                    h.client() == null ? null : h.client().state(), h.server() == null ? null : h.server().listenAddress()));
        }
        return new Result.Handles(out);
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

    static ToClient.Failed error(Long id, String kind, String message) {
        return new ToClient.Failed(id, kind, message);
    }
}
