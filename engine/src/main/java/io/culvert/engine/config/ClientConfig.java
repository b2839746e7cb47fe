package io.culvert.engine.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The typed view of an OpenVPN 2.6 client profile that the tunnel client consumes, with OpenVPN's
 * defaults filled in. Key material is held as text; {@link #toString()} never prints it. Directives
 * inside {@code <connection>} blocks other than remote, proto, port and rport are merged into the
 * profile-wide fields. Instances are immutable.
 *
 * <p>The last components: {@code dns} holds the {@code --dns} options ({@link DnsOptions#EMPTY} when none),
 * {@code routeMetric} the {@code route-metric} default (0 = none), {@code inactiveSeconds} and
 * {@code inactiveBytes} the {@code inactive N [bytes]} limit (0 = off), {@code statusFile} and {@code statusSeconds}
 * the {@code status FILE [n]} file (null = none; resolved against the profile's folder) and its rewrite period,
 * {@code routeExecution} the {@code route-noexec} and {@code route-delay} settings.
 */
public record ClientConfig(
        List<Remote> remotes, boolean remoteRandom,
        int connectRetrySeconds, int connectRetryMaxSeconds, int connectRetryMax,
        int connectTimeoutSeconds, int resolvRetrySeconds,
        boolean nobind, int lport, String localAddress,
        DevType devType, String devName,
        String caPem, String certPem, String keyPem, String extraCertsPem,
        KeySource keySource,
        String tlsAuthKey, Integer keyDirection, String tlsCryptKey, String tlsCryptV2Key,
        String remoteCertTls, VerifyX509Name verifyX509Name,
        String auth, String cipher, List<String> dataCiphers, String dataCiphersFallback,
        AuthUserPass authUserPass,
        boolean pull, boolean tlsClient,
        int ping, int pingRestart, int pingExit,
        int renegSec, long renegBytes, long renegPkts, int handWindow, int tranWindow, int tlsTimeout,
        int replayWindow, int replayWindowSeconds,
        int tunMtu, io.culvert.engine.common.Mssfix mssfix, int explicitExitNotify,
        String compLzo, String compress, String allowCompression,
        boolean routeNopull, List<Route> routes, RedirectGateway redirectGateway,
        List<PullFilter> pullFilters, List<DhcpOption> dhcpOptions,
        String tlsVersionMin, String tlsVersionMax, String tlsCipher, String tlsCiphersuites,
        int verb, String management, ManagementOptions managementOptions, List<String> ignoredOptionsReported, List<String> warnings,
        DnsOptions dns, int routeMetric, int inactiveSeconds, long inactiveBytes, String statusFile, int statusSeconds,
        RouteExecution routeExecution) {

    /** OpenVPN's default port for both ends. */
    public static final int DEFAULT_PORT = 1194;
    /** OpenVPN's {@code status} rewrite period when the directive names none. */
    public static final int DEFAULT_STATUS_SECONDS = 60;
    /** OpenVPN 2.6's default {@code data-ciphers}. */
    public static final List<String> DEFAULT_DATA_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305");

    public ClientConfig {
        remotes = List.copyOf(remotes);
        dataCiphers = List.copyOf(dataCiphers);
        routes = List.copyOf(routes);
        pullFilters = List.copyOf(pullFilters);
        dhcpOptions = List.copyOf(dhcpOptions);
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

    /** The {@code mssfix} in effect: the configured one, or OpenVPN 2.6's default for this tun-mtu. */
    public io.culvert.engine.common.Mssfix effectiveMssfix() {
        return io.culvert.engine.common.Mssfix.effective(mssfix, tunMtu);
    }

    @Override
    public String toString() {
        return "ClientConfig[remotes=" + remotes + ", dev=" + devName + " (" + devType + "), dataCiphers="
                + dataCiphers + ", " + keySource + ", tlsAuth=" + (tlsAuthKey != null) + ", tlsCrypt=" + (tlsCryptKey != null) + ", tlsCryptV2=" + (tlsCryptV2Key != null)
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

    /** One server to try, with its port and transport resolved, and the proxy it is reached through (or null). */
    public record Remote(String host, int port, Proto proto, IpFamily family, ProxyConfig proxy) {
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

    /** A local route; null fields take OpenVPN's defaults (host mask, vpn_gateway, default metric). */
    public record Route(String network, String netmask, String gateway, Integer metric) {}

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
