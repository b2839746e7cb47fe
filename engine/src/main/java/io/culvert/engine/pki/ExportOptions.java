package io.culvert.engine.pki;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.DataOptions;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.WrapKeys;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.tls.PemReader;
import io.culvert.engine.tls.PeerVerification;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * What a unified client profile says about the server it connects to. Immutable.
 *
 * @param proto "udp" or "tcp"
 * @param dev "tun" or "tap"
 * @param auth the {@code auth} digest when it is not OpenVPN's default SHA1, else null
 * @param compression a {@code comp-lzo …} or {@code compress …} line the server's own config has, else null
 * @param keyDirection the client's tls-auth key direction (the opposite of the server's), null when bidirectional
 * @param wrapKey the server's tls-crypt/tls-auth key when known from its config; null to take the PKI's
 * @param serverName the server certificate's CN for {@code verify-x509-name}, or null to leave it out
 * @param fallbacks the server's other ways in, tried after {@code proto}/{@code port} in this order (issue 14): its
 *     other sockets' protocol and port, then its WebSocket path behind the web server on 443; empty for one
 */
public record ExportOptions(String remoteHost, int port, String proto, String dev, List<String> dataCiphers, String auth,
        String compression, WrapMode wrap, Integer keyDirection, StaticKey wrapKey, String serverName,
        List<Fallback> fallbacks) {

    /** One more remote: {@code proto} ("udp"/"tcp") on {@code port}, or with {@code webSocketPath} a WebSocket URL. */
    public record Fallback(String proto, int port, String webSocketPath) {}

    /** A server with one way in. */
    public ExportOptions(String remoteHost, int port, String proto, String dev, List<String> dataCiphers, String auth,
            String compression, WrapMode wrap, Integer keyDirection, StaticKey wrapKey, String serverName) {
        this(remoteHost, port, proto, dev, dataCiphers, auth, compression, wrap, keyDirection, wrapKey, serverName, List.of());
    }

    /** How the control channel is protected. */
    public enum WrapMode {
        /** No tls-auth/tls-crypt. */
        NONE,
        /** {@code tls-auth} (HMAC). */
        TLS_AUTH,
        /** {@code tls-crypt} (encrypted and authenticated). */
        TLS_CRYPT
    }

    public ExportOptions {
        Objects.requireNonNull(remoteHost, "remoteHost");
        if (remoteHost.isBlank() || remoteHost.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
            throw new IllegalArgumentException("invalid remote host '" + remoteHost + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        if (!proto.equals("udp") && !proto.equals("tcp")) {
            throw new IllegalArgumentException("proto must be udp or tcp, got '" + proto + "'");
        }
        if (!dev.equals("tun") && !dev.equals("tap")) {
            throw new IllegalArgumentException("dev must be tun or tap, got '" + dev + "'");
        }
        dataCiphers = List.copyOf(dataCiphers);
        fallbacks = List.copyOf(fallbacks);
    }

    /** OpenVPN 2.6 defaults for {@code remoteHost}: udp/1194, tun, the default data-ciphers, tls-crypt. */
    public static ExportOptions defaults(String remoteHost) {
        return new ExportOptions(remoteHost, ClientConfig.DEFAULT_PORT, "udp", "tun", DataOptions.DEFAULT_DATA_CIPHERS, null,
                null, WrapMode.TLS_CRYPT, null, null, null);
    }

    /** Everything a client must match, taken from the server's own config; only the host the clients dial is added. */
    public static ExportOptions forServer(ServerConfig c, String remoteHost) throws IOException {
        WrapKeys w = c.wrap();
        WrapMode wrap = w.tlsCryptKey() != null ? WrapMode.TLS_CRYPT : w.tlsAuthKey() != null ? WrapMode.TLS_AUTH : WrapMode.NONE;
        StaticKey key;
        try {
            key = wrap == WrapMode.TLS_CRYPT ? StaticKey.parse(w.tlsCryptKey())
                    : wrap == WrapMode.TLS_AUTH ? StaticKey.parse(w.tlsAuthKey()) : null;
        } catch (IllegalArgumentException e) {
            throw new IOException("server tls-auth/tls-crypt key: " + e.getMessage(), e);
        }
        Integer direction = wrap != WrapMode.TLS_AUTH || w.keyDirection() == null ? null : 1 - w.keyDirection();
        DataOptions data = c.dataChannel();
        String compression = data.compress() != null ? line("compress", data.compress())
                : data.compLzo() != null ? line("comp-lzo", data.compLzo()) : null;
        String certPem = c.keys().certPem();
        String serverName = certPem == null ? null : PeerVerification.commonName(PemReader.certificates(certPem).getFirst());
        // UDP first, then TCP, then WebSocket: the order a client falls back in (issue 14)
        List<io.culvert.engine.config.Listen.Socket> sockets = new java.util.ArrayList<>(c.listen().sockets());
        sockets.sort(java.util.Comparator.comparing(x -> x.proto() == ClientConfig.Proto.TCP));
        List<Fallback> fallbacks = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (io.culvert.engine.config.Listen.Socket x : sockets) {
            String p = x.proto() == ClientConfig.Proto.TCP ? "tcp" : "udp";
            if (seen.add(p + x.port())) {
                fallbacks.add(new Fallback(p, x.port(), null));
            }
        }
        if (c.listen().webSocket() != null) {
            fallbacks.add(new Fallback("tcp", 443, c.listen().webSocket().path()));
        }
        Fallback first = fallbacks.removeFirst();
        return new ExportOptions(remoteHost, first.port(), first.proto(), c.device().isTap() ? "tap" : "tun",
                data.dataCiphers(), "SHA1".equalsIgnoreCase(data.auth()) ? null : data.auth(), compression, wrap, direction,
                key, serverName, fallbacks);
    }

    /** Another port: this one remote only (a server's other ways in are left out). */
    public ExportOptions withPort(int newPort) {
        return new ExportOptions(remoteHost, newPort, proto, dev, dataCiphers, auth, compression, wrap, keyDirection, wrapKey, serverName,
                List.of());
    }

    public ExportOptions withProto(String newProto) {
        return new ExportOptions(remoteHost, port, newProto, dev, dataCiphers, auth, compression, wrap, keyDirection, wrapKey, serverName,
                List.of());
    }

    public ExportOptions withDev(String newDev) {
        return new ExportOptions(remoteHost, port, proto, newDev, dataCiphers, auth, compression, wrap, keyDirection, wrapKey, serverName,
                fallbacks);
    }

    /** Another wrap mode; tls-auth gets the conventional client direction 1. The key is taken from the PKI. */
    public ExportOptions withWrap(WrapMode newWrap) {
        return new ExportOptions(remoteHost, port, proto, dev, dataCiphers, auth, compression, newWrap,
                newWrap == WrapMode.TLS_AUTH ? Integer.valueOf(1) : null, null, serverName, fallbacks);
    }

    public ExportOptions withServerName(String name) {
        return new ExportOptions(remoteHost, port, proto, dev, dataCiphers, auth, compression, wrap, keyDirection, wrapKey, name, fallbacks);
    }

    private static String line(String name, String arg) {
        return arg.isEmpty() ? name : name + " " + arg;
    }

    @Override
    public String toString() {
        return "ExportOptions[" + remoteHost + ":" + port + "/" + proto + ", " + dev + ", " + wrap + "]";
    }
}
