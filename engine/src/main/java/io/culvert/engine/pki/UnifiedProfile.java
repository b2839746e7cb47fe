package io.culvert.engine.pki;

import io.culvert.engine.crypto.StaticKey;
import java.util.List;
import java.util.Objects;

/**
 * Renders a unified client profile: one {@code .ovpn} file with the CA, the client's certificate and key and
 * the tls-crypt or tls-auth key inline, which stock OpenVPN 2.6 clients and Culvert both read.
 * Stateless and thread-safe. The result contains a private key: write it 0600 and never log it.
 */
public final class UnifiedProfile {
    private UnifiedProfile() {}

    /**
     * @param wrapKey the tls-crypt/tls-auth key; required unless the wrap mode is NONE
     */
    public static String render(ExportOptions o, String caPem, Credentials client, StaticKey wrapKey) {
        return render(o, List.of(o.remoteHost()), false, caPem, client, wrapKey);
    }

    /**
     * A profile that lists several servers ({@code hosts}, each with {@code o}'s port and protocol, a fleet's servers;
     * issue 15) as {@code remote}s, tried in this order, or at random first with {@code remoteRandom}: the client
     * fails over from one to the next as stock OpenVPN does.
     */
    public static String render(ExportOptions o, List<String> hosts, boolean remoteRandom, String caPem, Credentials client,
            StaticKey wrapKey) {
        return render(o, hosts, null, remoteRandom, caPem, client, wrapKey);
    }

    /**
     * How long a client of a fleet profile waits for a server to answer before it tries the next
     * ({@code server-poll-timeout}; OpenVPN's default is 120 s): a dead server costs a failover about this long
     * after the client noticed (ADR 0057).
     */
    public static final int FAILOVER_POLL_SECONDS = 10;

    /**
     * A remote with its own port and protocol ({@code remote HOST PORT PROTO}): one address of a fleet's server.
     *
     * @param proto "udp" or "tcp"
     */
    public record Remote(String host, int port, String proto) {}

    /**
     * A profile that lists {@code remotes}, each with its own port and protocol (a fleet's servers, ADR 0057), tried in
     * this order, or at random first with {@code remoteRandom}; {@code o}'s own host, port and protocol are not used.
     */
    public static String renderRemotes(ExportOptions o, List<Remote> remotes, boolean remoteRandom, String caPem, Credentials client,
            StaticKey wrapKey) {
        if (remotes.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one remote");
        }
        ExportOptions first = o.withPort(remotes.getFirst().port()).withProto(remotes.getFirst().proto());
        for (Remote r : remotes) {
            first.withPort(r.port()).withProto(r.proto()); // the same checks of port and protocol as ExportOptions'
        }
        return render(first, remotes.stream().map(Remote::host).toList(), remotes, remoteRandom, caPem, client, wrapKey);
    }

    private static String render(ExportOptions o, List<String> hosts, List<Remote> remotes, boolean remoteRandom, String caPem,
            Credentials client, StaticKey wrapKey) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one remote");
        }
        for (String h : hosts) {
            new ExportOptions(h, o.port(), o.proto(), o.dev(), o.dataCiphers(), null, null, ExportOptions.WrapMode.NONE, null, null,
                    null); // the same check of the host as the first one's
        }
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(client, "client");
        if (o.wrap() != ExportOptions.WrapMode.NONE && wrapKey == null) {
            throw new IllegalArgumentException(o.wrap() + " needs a key");
        }
        StringBuilder sb = new StringBuilder(8192);
        sb.append("# OpenVPN client profile for '").append(client.commonName()).append("', exported by culvert pki\n");
        sb.append("client\n");
        sb.append("dev ").append(o.dev()).append('\n');
        if (o.fallbacks().isEmpty()) {
            sb.append("proto ").append(o.proto()).append('\n');
            if (remotes == null) {
                for (String host : hosts) {
                    sb.append("remote ").append(host).append(' ').append(o.port()).append('\n');
                }
            } else {
                for (Remote r : remotes) {
                    sb.append("remote ").append(r.host()).append(' ').append(r.port()).append(' ').append(r.proto()).append('\n');
                }
            }
        } else {
            // one <connection> block per way in, tried in this order (issue 14, ADR 0047); stock OpenVPN reads the
            // WebSocket block's 'remote' (it needs one) and skips the 'setenv opt' line, Culvert goes to the URL
            for (String host : hosts) {
                connection(sb, host, new ExportOptions.Fallback(o.proto(), o.port(), null));
                for (ExportOptions.Fallback f : o.fallbacks()) {
                    connection(sb, host, f);
                }
            }
        }
        if (remoteRandom && hosts.size() > 1) {
            sb.append("remote-random\n");
        }
        if (remotes != null && remotes.size() > 1) {
            sb.append("server-poll-timeout ").append(FAILOVER_POLL_SECONDS).append('\n');
        }
        sb.append("resolv-retry infinite\n");
        sb.append("nobind\n");
        sb.append("persist-key\n");
        sb.append("persist-tun\n");
        sb.append("remote-cert-tls server\n");
        if (o.serverName() != null) {
            sb.append("verify-x509-name ").append(o.serverName()).append(" name\n");
        }
        sb.append("data-ciphers ").append(String.join(":", o.dataCiphers())).append('\n');
        if (o.auth() != null) {
            sb.append("auth ").append(o.auth()).append('\n');
        }
        if (o.compression() != null) {
            sb.append(o.compression()).append('\n');
        }
        sb.append("verb 3\n");
        inline(sb, "ca", caPem);
        inline(sb, "cert", client.certificatePem());
        inline(sb, "key", client.keyPem());
        switch (o.wrap()) {
            case TLS_CRYPT -> inline(sb, "tls-crypt", wrapKey.toFileText());
            case TLS_AUTH -> {
                if (o.keyDirection() != null) {
                    sb.append("key-direction ").append(o.keyDirection()).append('\n');
                }
                inline(sb, "tls-auth", wrapKey.toFileText());
            }
            case NONE -> { }
        }
        return sb.toString();
    }

    private static void connection(StringBuilder sb, String host, ExportOptions.Fallback f) {
        sb.append("<connection>\nremote ").append(host).append(' ').append(f.port()).append(' ').append(f.proto()).append('\n');
        if (f.webSocketPath() != null) {
            sb.append("setenv opt culvert-remote-websocket wss://").append(host.contains(":") ? "[" + host + "]" : host)
                    .append(f.webSocketPath()).append('\n');
        }
        sb.append("</connection>\n");
    }

    private static void inline(StringBuilder sb, String tag, String text) {
        sb.append('<').append(tag).append(">\n").append(text.strip()).append("\n</").append(tag).append(">\n");
    }
}
