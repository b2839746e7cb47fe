package io.culvert.engine.config;

import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnFileParser;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The typed view of an OpenVPN 2.6 client profile that the tunnel client consumes, with OpenVPN's
 * defaults filled in, composed of small parts: how servers are reached ({@link ClientTransport}), the device,
 * the TLS keys, wrapping, policy and timers, the data channel, keepalive, the client's routing and DNS, and
 * monitoring. Key material is held as text; {@link #toString()} never prints it. Directives inside
 * {@code <connection>} blocks other than remote, proto, port, rport and the proxy directives are merged into the
 * profile-wide parts. Instances are immutable.
 *
 * @param transport the remotes, retry policy and local bind
 * @param device {@code dev}, {@code tun-mtu}, {@code mssfix}
 * @param keys {@code ca}, {@code cert}, {@code key} and their sources
 * @param wrap {@code tls-auth}, {@code tls-crypt} or {@code tls-crypt-v2}
 * @param tls the server certificate checks and TLS versions and ciphers
 * @param tlsTimers renegotiation and handshake timers
 * @param dataChannel ciphers, HMAC, compression, replay window
 * @param keepalive pings, timeouts, inactivity, exit notification
 * @param routing routes, redirect-gateway, pull filters, DNS
 * @param authUserPass {@code auth-user-pass}, or null
 * @param pull {@code pull} (or {@code client})
 * @param tlsClient {@code tls-client} (or {@code client})
 * @param monitoring verb, management interface, status file
 * @param ignoredOptionsReported directives accepted and ignored
 * @param warnings what the user should know about the profile, in file order
 */
public record ClientConfig(
        ClientTransport transport, Device device, TlsKeys keys, WrapKeys wrap, TlsPolicy tls, TlsTimers tlsTimers,
        DataOptions dataChannel, Keepalive keepalive, ClientRouting routing, AuthUserPass authUserPass,
        boolean pull, boolean tlsClient, Monitoring monitoring,
        List<String> ignoredOptionsReported, List<String> warnings) {

    /** OpenVPN's default port for both ends. */
    public static final int DEFAULT_PORT = 1194;

    public ClientConfig {
        ignoredOptionsReported = List.copyOf(ignoredOptionsReported);
        warnings = List.copyOf(warnings);
    }

    /**
     * Builds the client view of {@code file}; relative file names are resolved against {@code baseDir}
     * (the working directory when null). Unknown directives are errors unless {@code ignoreUnknown}.
     */
    public static ClientConfig from(OvpnFile file, Path baseDir, boolean ignoreUnknown) throws OvpnParseException {
        return new ClientConfigReader(baseDir, ignoreUnknown).read(file);
    }

    /** Reads, parses and types the profile at {@code file}, resolving file references against its folder. */
    public static ClientConfig load(Path file, boolean ignoreUnknown) throws OvpnParseException {
        String text = ConfigFiles.readText(file, 0, null, OvpnFileParser.MAX_FILE_CHARS);
        Path dir = file.toAbsolutePath().getParent();
        return from(OvpnFile.parse(text), dir, ignoreUnknown);
    }

    @Override
    public String toString() {
        return "ClientConfig[remotes=" + transport.remotes() + ", dev=" + device.name() + " (" + device.type()
                + "), dataCiphers=" + dataChannel.dataCiphers() + ", " + keys.keySource() + ", " + wrap
                + ", authUserPass=" + authUserPass + ", warnings=" + warnings.size() + "]";
    }

    /** Transport protocol of a remote. */
    public enum Proto {
        /** UDP, OpenVPN's default. */
        UDP,
        /** TCP, client side. */
        TCP
    }

    /** Address family preference from {@code udp4}, {@code tcp6} and similar. */
    public enum IpFamily {
        /** Either family, as resolution returns. */
        ANY,
        /** IPv4 only. */
        IPV4,
        /** IPv6 only. */
        IPV6
    }

    /** Tunnel device kind. */
    public enum DevType {
        /** Layer 3 (IP) tunnel. */
        TUN,
        /** Layer 2 (Ethernet) tunnel. */
        TAP
    }

    /**
     * One server to try, with its port and transport resolved, and the proxy it is reached through (or null); a
     * WebSocket remote ({@code culvert-remote-websocket}) is TCP with {@code webSocket} set, else that is null.
     */
    public record Remote(String host, int port, Proto proto, IpFamily family, ProxyConfig proxy, WebSocketRemote webSocket) {
        public Remote(String host, int port, Proto proto, IpFamily family, ProxyConfig proxy) {
            this(host, port, proto, family, proxy, null);
        }

        public Remote(String host, int port, Proto proto, IpFamily family) {
            this(host, port, proto, family, null);
        }

        public Remote(String host, int port, Proto proto) {
            this(host, port, proto, IpFamily.ANY);
        }
    }

    /** {@code verify-x509-name}: {@code type} is {@code subject}, {@code name} or {@code name-prefix}. */
    public record VerifyX509Name(String name, String type) {}

    /** Credentials: a null username means prompt for both, a null password means prompt for it. */
    public record AuthUserPass(String username, String password) {
        /** True when the user must be asked for something. */
        public boolean needsPrompt() {
            return username == null || password == null;
        }

        @Override
        public String toString() {
            // Neither part is printed: both may come from a file (auth-user-pass, a proxy's auth file).
            return "AuthUserPass[username=" + (username == null ? "prompt" : "***") + ", password="
                    + (password == null ? "prompt" : "***") + "]";
        }
    }

    /**
     * A local route; null fields take OpenVPN's defaults (host mask, vpn_gateway, default metric).
     *
     * @param table the kernel routing table: the {@code route-table} in force when the line was read (0 = main)
     */
    public record Route(String network, String netmask, String gateway, Integer metric, int table) {
        /** A route to the main table. */
        public Route(String network, String netmask, String gateway, Integer metric) {
            this(network, netmask, gateway, metric, 0);
        }
    }

    /** {@code redirect-gateway} or {@code redirect-private} with its flags (def1, bypass-dhcp, ...). */
    public record RedirectGateway(Set<String> flags, boolean privateOnly) {
        public RedirectGateway {
            flags = Set.copyOf(flags);
        }
    }

    /** {@code pull-filter accept|ignore|reject TEXT}. */
    public record PullFilter(String action, String text) {}

    /** {@code dhcp-option TYPE [VALUE]}, for example DNS 10.8.0.1. */
    public record DhcpOption(String type, String value) {}
}
