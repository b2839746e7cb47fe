package io.culvert.engine.api;

import java.util.Locale;
import java.util.Objects;

/**
 * An address clients dial to reach one server of a fleet (issue 15, ADR 0057): written into an exported profile as
 * {@code remote HOST PORT PROTO}. Instances are immutable.
 *
 * @param host a host name or an IPv4 or IPv6 address, as a client's {@code remote} takes it
 * @param port 1 to 65535
 * @param proto "udp" or "tcp" (a client's side: a server's tcp-server is dialled as tcp)
 */
public record FleetRemote(String host, int port, String proto) {
    public FleetRemote {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(proto, "proto");
        if (!isHost(host)) {
            throw new IllegalArgumentException("not a host name or address: '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port (1-65535): " + port);
        }
        if (!proto.equals("udp") && !proto.equals("tcp")) {
            throw new IllegalArgumentException("not a protocol (udp or tcp): '" + proto + "'");
        }
    }

    /**
     * Reads {@code HOST[:PORT[:PROTO]]} ({@code [IPV6][:PORT[:PROTO]]} for an IPv6 address), taking the port and the
     * protocol it leaves out from {@code defaultPort} and {@code defaultProto}. PROTO is udp or tcp (tcp-client,
     * tcp-server and the 4/6 forms count as tcp or udp).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static FleetRemote parse(String text, int defaultPort, String defaultProto) {
        Objects.requireNonNull(text, "text");
        String host;
        String rest;
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + text + "': no ']' after the IPv6 address");
            }
            host = text.substring(1, end);
            rest = text.substring(end + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("'" + text + "': expected ':PORT' after ']'");
            }
            rest = rest.isEmpty() ? "" : rest.substring(1);
            if (!host.contains(":")) {
                throw new IllegalArgumentException("'" + text + "': brackets are for IPv6 addresses");
            }
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            rest = colon < 0 ? "" : text.substring(colon + 1);
        }
        String[] parts = rest.isEmpty() ? new String[0] : rest.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("'" + text + "': expected HOST[:PORT[:PROTO]] (write an IPv6 address in [brackets])");
        }
        int port = defaultPort;
        if (parts.length >= 1) {
            try {
                port = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': not a port: '" + parts[0] + "'");
            }
        }
        String protoText = parts.length == 2 ? parts[1] : defaultProto;
        String proto = clientProto(protoText);
        if (proto == null) {
            throw new IllegalArgumentException("'" + text + "': not a protocol (udp or tcp): '" + protoText + "'");
        }
        try {
            return new FleetRemote(host, port, proto);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    /** Reads {@link #toString()}'s form back: {@code HOST PORT PROTO}. */
    public static FleetRemote ofLine(String line) {
        String[] f = line.strip().split(" ");
        if (f.length != 3) {
            throw new IllegalArgumentException("not 'HOST PORT PROTO': '" + line + "'");
        }
        try {
            return new FleetRemote(f[0], Integer.parseInt(f[1]), f[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not 'HOST PORT PROTO': '" + line + "'", e);
        }
    }

    /** udp or tcp for a client dialling a server with {@code proto} (tcp-server, tcp6, udp4 ...), null if none of those. */
    public static String clientProto(String proto) {
        String p = proto.toLowerCase(Locale.ROOT);
        if (p.matches("udp[46]?")) {
            return "udp";
        }
        if (p.matches("tcp[46]?(-server|-client)?")) {
            return "tcp";
        }
        return null;
    }

    private static boolean isHost(String h) {
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        if (h.contains(":")) {
            return h.matches("[0-9A-Fa-f:.]+") && h.chars().filter(c -> c == ':').count() >= 2;
        }
        return h.matches("[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*\\.?");
    }

    /** As a profile's {@code remote} line takes it: {@code HOST PORT PROTO}. */
    @Override
    public String toString() {
        return host + " " + port + " " + proto;
    }
}
