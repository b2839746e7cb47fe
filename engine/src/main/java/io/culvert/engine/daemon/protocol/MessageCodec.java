package io.culvert.engine.daemon.protocol;

import static io.culvert.engine.daemon.protocol.Fields.enumValue;
import static io.culvert.engine.daemon.protocol.Fields.integer;
import static io.culvert.engine.daemon.protocol.Fields.list;
import static io.culvert.engine.daemon.protocol.Fields.listOrEmpty;
import static io.culvert.engine.daemon.protocol.Fields.lng;
import static io.culvert.engine.daemon.protocol.Fields.obj;
import static io.culvert.engine.daemon.protocol.Fields.optLng;
import static io.culvert.engine.daemon.protocol.Fields.optObj;
import static io.culvert.engine.daemon.protocol.Fields.optStr;
import static io.culvert.engine.daemon.protocol.Fields.str;
import static io.culvert.engine.daemon.protocol.Fields.stringMap;
import static io.culvert.engine.daemon.protocol.Fields.strings;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.daemon.protocol.MessageException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The one codec between culvertd's messages and their line of JSON (docs/protocol.md), both ways and for both sides:
 * {@code write} gives the line (without its newline), {@code parseToService} and {@code parseToClient} read one back
 * within {@link JsonLimits#PROTOCOL}. Malformed JSON is a {@link JsonException}; JSON that is not a valid message a
 * {@link MessageException} naming what is wrong (unknown type or operation, missing member, wrong type, bad value).
 * The only place in the engine where a message is a map. Stateless.
 */
public final class MessageCodec {
    private MessageCodec() {}

    // ---- writing ------------------------------------------------------------------------------------------

    /** The line for a message a client sends. */
    public static String write(ToService message) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (message) {
            case ToService.Hello h -> {
                m.put("type", Protocol.HELLO);
                m.put("version", h.version());
                m.put("agent", h.agent());
            }
            case ToService.Request r -> {
                m.put("type", Protocol.REQUEST);
                m.put("id", r.id());
                m.put("op", r.operation().op().wire());
                m.put("args", args(r.operation()));
            }
        }
        return Json.write(m);
    }

    /** The line for a message the service sends. */
    public static String write(ToClient message) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (message) {
            case ToClient.Welcome w -> {
                m.put("type", Protocol.HELLO);
                m.put("version", w.version());
                m.put("agent", w.agent());
                m.put("user", w.user());
                m.put("uid", w.uid());
                m.put("role", w.role());
                m.put("idleTimeoutMillis", w.idleTimeoutMillis());
            }
            case ToClient.Ok ok -> {
                m.put("type", Protocol.RESPONSE);
                m.put("id", ok.id());
                m.put("ok", true);
                m.put("result", result(ok.result()));
            }
            case ToClient.Failed f -> {
                m.put("type", Protocol.RESPONSE);
                m.put("id", f.id());
                m.put("ok", false);
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("kind", f.kind());
                error.put("message", f.message());
                m.put("error", error);
            }
            case ToClient.Event e -> {
                m.put("type", Protocol.EVENT);
                m.put("handle", e.handle());
                m.put("event", Wire.event(e.event()));
            }
            case ToClient.Stopped s -> {
                m.put("type", Protocol.STOPPED);
                m.put("handle", s.handle());
            }
            case ToClient.Prompt p -> {
                m.put("type", Protocol.PROMPT);
                m.put("handle", p.handle());
                m.put("request", p.request());
                m.put("prompt", p.prompt());
                m.put("text", p.text());
            }
            case ToClient.Closing c -> {
                m.put("type", Protocol.ERROR);
                m.put("kind", c.kind());
                m.put("message", c.message());
            }
        }
        return Json.write(m);
    }

    /** The UTF-8 size of {@code operation}'s {@code args} object, for refusing a request before it is too long to send. */
    public static int argumentBytes(Operation operation) {
        return Json.write(args(operation)).getBytes(StandardCharsets.UTF_8).length;
    }

    private static Map<String, Object> args(Operation operation) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (operation instanceof Operation.OnHandle h) {
            a.put("handle", h.handle());
        }
        switch (operation) {
            case Operation.StartClient s -> a.put("profile", s.profile());
            case Operation.AnswerPrompt p -> {
                a.put("prompt", p.prompt());
                if (p.answer().isPresent()) {
                    a.put("username", p.answer().get().username());
                    a.put("password", p.answer().get().password());
                } else {
                    a.put("cancel", true);
                }
            }
            case Operation.StartServer s -> {
                a.put("config", s.config());
                a.put("ccd", new LinkedHashMap<String, Object>(s.ccd()));
            }
            case Operation.Kick k -> a.put("peerId", (long) k.peerId());
            case Operation.UpdateServerFiles u -> {
                ServerFileUpdate update = u.update();
                if (update.crlPem() != null) {
                    a.put("crl", update.crlPem());
                }
                if (!update.ccd().isEmpty()) {
                    a.put("ccd", new LinkedHashMap<String, Object>(update.ccd()));
                }
                if (!update.ccdRemoved().isEmpty()) {
                    a.put("ccdRemoved", List.<Object>copyOf(update.ccdRemoved()));
                }
            }
            case Operation.PushUpdate p -> {
                a.put("peerId", (long) p.peerId());
                a.put("options", p.options());
            }
            case Operation.Disconnect d -> { }
            case Operation.ClientStatus c -> { }
            case Operation.StopServer s -> { }
            case Operation.ServerStatus s -> { }
            case Operation.ListHandles l -> { }
            case Operation.Watch w -> { }
        }
        return a;
    }

    private static Map<String, Object> result(Result result) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (result) {
            case Result.Done d -> { }
            case Result.ClientStarted c -> {
                m.put("handle", c.handle());
                m.put("state", c.state() == null ? null : c.state().name());
            }
            case Result.ServerStarted s -> {
                m.put("handle", s.handle());
                m.put("listenAddress", s.listenAddress());
            }
            case Result.ClientStatus c -> {
                m.put("state", c.state().name());
                m.put("info", c.info() == null ? null : Wire.info(c.info()));
                m.put("stats", Wire.stats(c.stats()));
            }
            case Result.ServerStatus s -> {
                m.put("listenAddress", s.listenAddress());
                m.put("instances", s.instances().stream().map(Wire::instance).toList());
                m.put("flows", s.flows().stream().map(Wire::flow).toList());
            }
            case Result.Handles h -> {
                List<Object> out = new ArrayList<>();
                for (Result.HandleEntry e : h.handles()) {
                    Map<String, Object> em = new LinkedHashMap<>();
                    em.put("handle", e.handle());
                    em.put("kind", e.kind().name());
                    em.put("owner", e.owner());
                    em.put("ownerUid", e.ownerUid());
                    if (e.state() != null) {
                        em.put("state", e.state().name());
                    }
                    if (e.listenAddress() != null) {
                        em.put("listenAddress", e.listenAddress());
                    }
                    out.add(em);
                }
                m.put("handles", out);
            }
            case Result.Sent s -> m.put("sent", (long) s.count());
        }
        return m;
    }

    // ---- reading ------------------------------------------------------------------------------------------

    /**
     * A line a client sent. A fault inside a request whose envelope was readable carries the request's id (when an
     * integer) and op ({@link MessageException#requestId()}, {@link MessageException#op()}), so it can be answered.
     */
    public static ToService parseToService(String line) throws JsonException {
        Map<String, Object> m = Json.parseObject(line, JsonLimits.PROTOCOL);
        String type = str(m, "type");
        return switch (type) {
            case Protocol.HELLO -> new ToService.Hello(lng(m, "version"), optStr(m, "agent"));
            case Protocol.REQUEST -> request(m);
            default -> throw new MessageException(Reason.UNKNOWN_TYPE, "type", "unknown message type '" + type + "'");
        };
    }

    private static ToService.Request request(Map<String, Object> m) throws MessageException {
        String opName = m.get("op") instanceof String s ? s : "";
        if (!(m.get("id") instanceof Long id)) {
            Reason r = m.get("id") == null ? Reason.MISSING_FIELD : Reason.WRONG_TYPE;
            throw new MessageException(r, "id", "a request needs an integer id").inRequest(null, opName);
        }
        try {
            Op op = Op.of(str(m, "op"));
            if (op == null) {
                throw new MessageException(Reason.UNKNOWN_OP, "op", "unknown operation '" + opName + "'");
            }
            return new ToService.Request(id, operation(op, optObj(m, "args")));
        } catch (MessageException e) {
            throw e.inRequest(id, opName);
        }
    }

    private static Operation operation(Op op, Map<String, Object> a) throws MessageException {
        return switch (op) {
            case START_CLIENT -> new Operation.StartClient(str(a, "profile"));
            case DISCONNECT -> new Operation.Disconnect(str(a, "handle"));
            case CLIENT_STATUS -> new Operation.ClientStatus(str(a, "handle"));
            case LIST -> new Operation.ListHandles();
            case WATCH -> new Operation.Watch();
            case ANSWER_PROMPT -> new Operation.AnswerPrompt(lng(a, "prompt"), Boolean.TRUE.equals(a.get("cancel"))
                    ? Optional.empty() : Optional.of(new UserPass(str(a, "username"), str(a, "password"))));
            case START_SERVER -> new Operation.StartServer(str(a, "config"), stringMap(a, "ccd"));
            case STOP_SERVER -> new Operation.StopServer(str(a, "handle"));
            case SERVER_STATUS -> new Operation.ServerStatus(str(a, "handle"));
            case KICK -> new Operation.Kick(str(a, "handle"), integer(a, "peerId"));
            case UPDATE_SERVER_FILES -> updateServerFiles(a);
            case PUSH_UPDATE -> new Operation.PushUpdate(str(a, "handle"), integer(a, "peerId"), str(a, "options"));
        };
    }

    private static Operation.UpdateServerFiles updateServerFiles(Map<String, Object> a) throws MessageException {
        String handle = str(a, "handle");
        LinkedHashSet<String> removed = new LinkedHashSet<>(a.get("ccdRemoved") == null ? List.of() : strings(a, "ccdRemoved"));
        try {
            ServerFileUpdate u = new ServerFileUpdate(optStr(a, "crl"), stringMap(a, "ccd"), removed);
            if (u.isEmpty()) {
                throw new MessageException(Reason.MISSING_FIELD, null, "updateServerFiles needs crl, ccd or ccdRemoved");
            }
            return new Operation.UpdateServerFiles(handle, u);
        } catch (IllegalArgumentException e) {
            throw new MessageException(Reason.BAD_VALUE, "ccd", e.getMessage());
        }
    }

    /**
     * A line the service sent. {@code requestOp} tells which operation the request with a given id was (null when
     * none is pending), which says how to read a successful response's result; a response to no pending request is
     * read as {@link Result.Done} without looking at its result. A result that does not read is a
     * {@link MessageException} carrying the request's id and op.
     */
    public static ToClient parseToClient(String line, LongFunction<Op> requestOp) throws JsonException {
        Map<String, Object> m = Json.parseObject(line, JsonLimits.PROTOCOL);
        String type = str(m, "type");
        return switch (type) {
            case Protocol.HELLO -> new ToClient.Welcome(lng(m, "version"), optStr(m, "agent"), str(m, "user"), lng(m, "uid"),
                    str(m, "role"), m.get("idleTimeoutMillis") == null ? 0 : lng(m, "idleTimeoutMillis"));
            case Protocol.RESPONSE -> {
                if (Fields.bool(m, "ok")) {
                    long id = lng(m, "id");
                    Op op = requestOp.apply(id);
                    if (op == null) {
                        yield new ToClient.Ok(id, new Result.Done());
                    }
                    try {
                        yield new ToClient.Ok(id, result(op, optObj(m, "result")));
                    } catch (MessageException e) {
                        throw e.inRequest(id, op.wire()); // the client can fail that one request
                    }
                }
                Map<String, Object> error = obj(m, "error");
                yield new ToClient.Failed(optLng(m, "id"), str(error, "kind"), str(error, "message"));
            }
            case Protocol.EVENT -> new ToClient.Event(str(m, "handle"), Wire.event(obj(m, "event")));
            case Protocol.STOPPED -> new ToClient.Stopped(str(m, "handle"));
            case Protocol.PROMPT -> new ToClient.Prompt(str(m, "handle"), lng(m, "request"), lng(m, "prompt"), str(m, "text"));
            case Protocol.ERROR -> new ToClient.Closing(str(m, "kind"), str(m, "message"));
            default -> throw new MessageException(Reason.UNKNOWN_TYPE, "type", "unknown message type '" + type + "'");
        };
    }

    private static Result result(Op op, Map<String, Object> r) throws MessageException {
        return switch (op) {
            case START_CLIENT -> new Result.ClientStarted(str(r, "handle"),
                    r.get("state") == null ? null : enumValue(r, "state", ConnectionState.class));
            case START_SERVER -> new Result.ServerStarted(str(r, "handle"), optStr(r, "listenAddress"));
            case CLIENT_STATUS -> new Result.ClientStatus(enumValue(r, "state", ConnectionState.class),
                    r.get("info") == null ? null : Wire.info(obj(r, "info")), Wire.stats(obj(r, "stats")));
            case SERVER_STATUS -> new Result.ServerStatus(optStr(r, "listenAddress"), Wire.instances(list(r, "instances")),
                    Wire.flows(list(r, "flows")));
            case LIST, WATCH -> new Result.Handles(handles(listOrEmpty(r, "handles")));
            case PUSH_UPDATE -> new Result.Sent(integer(r, "sent"));
            case DISCONNECT, ANSWER_PROMPT, STOP_SERVER, KICK, UPDATE_SERVER_FILES -> new Result.Done();
        };
    }

    private static List<Result.HandleEntry> handles(List<Object> l) throws MessageException {
        List<Result.HandleEntry> out = new ArrayList<>();
        for (Object o : l) {
            Map<String, Object> e = Fields.asObj(o, "a handle");
            out.add(new Result.HandleEntry(str(e, "handle"), enumValue(e, "kind", Result.Kind.class), str(e, "owner"),
                    lng(e, "ownerUid"), e.get("state") == null ? null : enumValue(e, "state", ConnectionState.class),
                    optStr(e, "listenAddress")));
        }
        return out;
    }
}
