package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;

/** A parsed {@code proto} value such as {@code udp6} or {@code tcp4-client}. Immutable. */
record ProtoSpec(Proto proto, IpFamily family) {

    static ProtoSpec parse(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        ProtoSpec result = switch (s) {
            case "udp" -> new ProtoSpec(Proto.UDP, IpFamily.ANY);
            case "udp4" -> new ProtoSpec(Proto.UDP, IpFamily.IPV4);
            case "udp6" -> new ProtoSpec(Proto.UDP, IpFamily.IPV6);
            case "tcp", "tcp-client" -> new ProtoSpec(Proto.TCP, IpFamily.ANY);
            case "tcp4", "tcp4-client" -> new ProtoSpec(Proto.TCP, IpFamily.IPV4);
            case "tcp6", "tcp6-client" -> new ProtoSpec(Proto.TCP, IpFamily.IPV6);
            default -> null;
        };
        if (result != null) {
            return result;
        }
        String why = s.endsWith("-server") ? "' is a server protocol; a client uses tcp or tcp-client"
                : "' is not a protocol (udp, udp4, udp6, tcp, tcp4, tcp6, tcp-client)";
        throw ArgValues.invalid(d, "'" + s + why);
    }
}
