package io.culvert.engine.daemon.protocol;

import static io.culvert.engine.daemon.protocol.Fields.asObj;
import static io.culvert.engine.daemon.protocol.Fields.bool;
import static io.culvert.engine.daemon.protocol.Fields.enumValue;
import static io.culvert.engine.daemon.protocol.Fields.integer;
import static io.culvert.engine.daemon.protocol.Fields.listOrEmpty;
import static io.culvert.engine.daemon.protocol.Fields.lng;
import static io.culvert.engine.daemon.protocol.Fields.obj;
import static io.culvert.engine.daemon.protocol.Fields.optStr;
import static io.culvert.engine.daemon.protocol.Fields.str;
import static io.culvert.engine.daemon.protocol.Fields.strings;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the engine API's records and events inside messages, both ways (docs/protocol.md §Events); used by {@link MessageCodec} only. Stateless. */
final class Wire {
    private Wire() {}

    static Map<String, Object> event(EngineEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (e) {
            case EngineEvent.StateChanged s -> {
                m.put("kind", "state");
                m.put("state", s.state().name());
                m.put("error", s.error() == null ? null : s.error().name());
                m.put("detail", s.detail() == null ? "" : s.detail());
            }
            case EngineEvent.Traffic t -> {
                m.put("kind", "traffic");
                m.put("stats", stats(t.stats()));
            }
            case EngineEvent.Log l -> {
                m.put("kind", "log");
                m.put("level", l.level().name());
                m.put("message", l.message());
            }
            case EngineEvent.Connected c -> {
                m.put("kind", "connected");
                m.put("info", info(c.info()));
            }
            case EngineEvent.NoAnswer n -> {
                m.put("kind", "noAnswer");
                m.put("remote", n.remote());
                m.put("handshakePackets", (long) n.handshakePackets());
                m.put("waitedMillis", n.waited().toMillis());
            }
            case EngineEvent.Instance i -> {
                m.put("kind", "instance");
                m.put("change", i.change().name());
                m.put("info", instance(i.info()));
                m.put("detail", i.detail() == null ? "" : i.detail());
            }
        }
        m.put("time", e.time().toString());
        return m;
    }

    static EngineEvent event(Map<String, Object> m) throws MessageException {
        Instant time = instant(m, "time");
        return switch (str(m, "kind")) {
            case "state" -> new EngineEvent.StateChanged(time, enumValue(m, "state", ConnectionState.class),
                    m.get("error") == null ? null : enumValue(m, "error", ErrorKind.class), str(m, "detail"));
            case "traffic" -> new EngineEvent.Traffic(time, stats(obj(m, "stats")));
            case "log" -> new EngineEvent.Log(time, enumValue(m, "level", EngineEvent.Level.class), str(m, "message"));
            case "connected" -> new EngineEvent.Connected(time, info(obj(m, "info")));
            case "noAnswer" -> new EngineEvent.NoAnswer(time, str(m, "remote"), (int) lng(m, "handshakePackets"),
                    java.time.Duration.ofMillis(lng(m, "waitedMillis")));
            case "instance" -> new EngineEvent.Instance(time, enumValue(m, "change", EngineEvent.InstanceChange.class),
                    instance(obj(m, "info")), str(m, "detail"));
            default -> throw new MessageException(MessageException.Reason.BAD_VALUE, "kind", "unknown event kind '" + m.get("kind") + "'");
        };
    }

    static Map<String, Object> stats(TrafficStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tunBytesIn", s.tunBytesIn());
        m.put("tunBytesOut", s.tunBytesOut());
        m.put("tunPacketsIn", s.tunPacketsIn());
        m.put("tunPacketsOut", s.tunPacketsOut());
        m.put("linkBytesIn", s.linkBytesIn());
        m.put("linkBytesOut", s.linkBytesOut());
        m.put("drops", new LinkedHashMap<String, Object>(s.drops()));
        return m;
    }

    static TrafficStats stats(Map<String, Object> m) throws MessageException {
        Map<String, Object> d = obj(m, "drops");
        Map<String, Long> drops = new LinkedHashMap<>();
        for (String k : d.keySet()) {
            drops.put(k, lng(d, k));
        }
        return TrafficStats.builder().tunBytes(lng(m, "tunBytesIn"), lng(m, "tunBytesOut"))
                .tunPackets(lng(m, "tunPacketsIn"), lng(m, "tunPacketsOut"))
                .linkBytes(lng(m, "linkBytesIn"), lng(m, "linkBytesOut")).drops(drops).build();
    }

    static Map<String, Object> info(ConnectionInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("remote", i.remote());
        m.put("device", i.device());
        m.put("ipv4", i.ipv4());
        m.put("ipv6", i.ipv6());
        m.put("cipher", i.cipher());
        m.put("tls", i.tls());
        m.put("routes", i.routes());
        m.put("dns", i.dns());
        List<Object> failed = new ArrayList<>();
        for (ConnectionInfo.FailedRoute f : i.failedRoutes()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("route", f.route());
            fm.put("reason", f.reason());
            fm.put("alreadyPresent", f.alreadyPresent());
            failed.add(fm);
        }
        m.put("failedRoutes", failed);
        m.put("transport", i.transport().name());
        m.put("fallback", i.fallback());
        return m;
    }

    static ConnectionInfo info(Map<String, Object> m) throws MessageException {
        ConnectionInfo i = ConnectionInfo.builder(optStr(m, "remote")).device(optStr(m, "device"))
                .ipv4(optStr(m, "ipv4")).ipv6(optStr(m, "ipv6")).cipher(optStr(m, "cipher")).tls(optStr(m, "tls"))
                .routes(strings(m, "routes")).dns(strings(m, "dns")).failedRoutes(failedRoutes(m)).build();
        String transport = optStr(m, "transport"); // absent in messages from an older service
        if (transport == null) {
            return i;
        }
        try {
            return i.withLink(io.culvert.engine.api.LinkTransport.valueOf(transport), optStr(m, "fallback"));
        } catch (IllegalArgumentException e) {
            throw new MessageException(MessageException.Reason.BAD_VALUE, "transport", "unknown transport " + transport);
        }
    }

    /** Absent in messages from an older service: none failed. */
    private static List<ConnectionInfo.FailedRoute> failedRoutes(Map<String, Object> m) throws MessageException {
        List<ConnectionInfo.FailedRoute> out = new ArrayList<>();
        for (Object o : listOrEmpty(m, "failedRoutes")) {
            Map<String, Object> f = asObj(o, "failed route");
            out.add(new ConnectionInfo.FailedRoute(str(f, "route"), str(f, "reason"), bool(f, "alreadyPresent")));
        }
        return out;
    }

    static Map<String, Object> instance(InstanceInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peerId", (long) i.peerId());
        m.put("commonName", i.commonName());
        m.put("realAddress", i.realAddress());
        m.put("virtualAddresses", i.virtualAddresses());
        m.put("macs", i.macs());
        m.put("cipher", i.cipher());
        m.put("connectedSince", i.connectedSince() == null ? null : i.connectedSince().toString());
        m.put("bytesIn", i.bytesIn());
        m.put("bytesOut", i.bytesOut());
        m.put("packetsIn", i.packetsIn());
        m.put("packetsOut", i.packetsOut());
        return m;
    }

    static InstanceInfo instance(Map<String, Object> m) throws MessageException {
        return InstanceInfo.builder(integer(m, "peerId"), optStr(m, "commonName"))
                .realAddress(optStr(m, "realAddress")).virtualAddresses(strings(m, "virtualAddresses"))
                .macs(strings(m, "macs")).cipher(optStr(m, "cipher"))
                .connectedSince(m.get("connectedSince") == null ? null : instant(m, "connectedSince"))
                .bytes(lng(m, "bytesIn"), lng(m, "bytesOut")).packets(lng(m, "packetsIn"), lng(m, "packetsOut")).build();
    }

    static Map<String, Object> flow(FlowEdge f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", (long) f.source());
        m.put("destination", (long) f.destination());
        m.put("kind", f.kind().name());
        m.put("packets", f.packets());
        m.put("bytes", f.bytes());
        return m;
    }

    static FlowEdge flow(Map<String, Object> m) throws MessageException {
        return new FlowEdge(integer(m, "source"), integer(m, "destination"), enumValue(m, "kind", FlowEdge.Kind.class),
                lng(m, "packets"), lng(m, "bytes"));
    }

    static List<InstanceInfo> instances(List<Object> l) throws MessageException {
        List<InstanceInfo> out = new ArrayList<>();
        for (Object o : l) {
            out.add(instance(asObj(o, "instance")));
        }
        return out;
    }

    static List<FlowEdge> flows(List<Object> l) throws MessageException {
        List<FlowEdge> out = new ArrayList<>();
        for (Object o : l) {
            out.add(flow(asObj(o, "flow")));
        }
        return out;
    }

    private static Instant instant(Map<String, Object> m, String key) throws MessageException {
        try {
            return Instant.parse(str(m, key));
        } catch (DateTimeParseException e) {
            throw new MessageException(MessageException.Reason.BAD_VALUE, key, "member '" + key + "' is not an ISO-8601 instant");
        }
    }
}
