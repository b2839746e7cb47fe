package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.ClientConfig.Route;
import java.nio.file.Path;
import java.util.List;

/**
 * The typed view of an OpenVPN 2.6 server config with the {@code server}, {@code server-ipv6},
 * {@code server-bridge} and {@code keepalive} helpers expanded as 2.6 does: the server's own tunnel
 * addresses, the address pools, server-side routes and the common part of every PUSH_REPLY in 2.6 order
 * (config {@code push} lines, then helper pushes, then keepalive). Key material is held as text;
 * {@link #toString()} never prints it. Instances are immutable.
 */
public record ServerConfig(
        Proto proto, IpFamily family, int port, String local,
        DevType devType, String devName, Topology topology, Addressing addressing,
        String ifconfigLocal, String ifconfigRemoteNetmask,
        String ifconfigIpv6Local, int ifconfigIpv6Bits, String ifconfigIpv6Remote,
        Ipv4Pool ipv4Pool, Ipv6Pool ipv6Pool, PoolPersist poolPersist,
        String clientConfigDir, boolean ccdExclusive,
        List<String> pushes, List<Route> routes, List<Route> ipv6Routes,
        boolean clientToClient, boolean duplicateCn, int maxClients, int maxRoutesPerClient,
        int ping, int pingRestart,
        String caPem, String certPem, String keyPem, String extraCertsPem,
        KeySource keySource,
        String crlPem, String crlDir, String crlFile, String dhFile,
        String tlsAuthKey, Integer keyDirection, String tlsCryptKey, TlsCryptV2Server tlsCryptV2,
        String auth, String cipher, List<String> dataCiphers, String dataCiphersFallback,
        int tunMtu, io.culvert.engine.common.Mssfix mssfix, int explicitExitNotify,
        int renegSec, int handWindow, int tlsTimeout,
        VerifyClientCert verifyClientCert, String remoteCertTls, boolean usernameAsCommonName,
        List<String> authUserPassVerify, boolean authUserPassOptional, String tmpDir,
        String clientConnect, String clientDisconnect, int scriptSecurity, String management, ManagementOptions managementOptions,
        String statusFile, int statusSeconds, int verb, List<String> learnAddress,
        String compLzo, String compress, String allowCompression,
        List<String> ignoredOptionsReported, List<String> warnings) {

    /** OpenVPN's default {@code max-clients}. */
    public static final int DEFAULT_MAX_CLIENTS = 1024;
    /** OpenVPN's default {@code max-routes-per-client}. */
    public static final int DEFAULT_MAX_ROUTES_PER_CLIENT = 256;
    /** OpenVPN's default {@code ifconfig-pool-persist} interval in seconds. */
    public static final int DEFAULT_PERSIST_SECONDS = 600;
    /** OpenVPN caps an address pool at this many entries (IFCONFIG_POOL_MAX). */
    public static final int MAX_POOL_SIZE = 65536;

    public ServerConfig {
        pushes = List.copyOf(pushes);
        routes = List.copyOf(routes);
        ipv6Routes = List.copyOf(ipv6Routes);
        dataCiphers = List.copyOf(dataCiphers);
        authUserPassVerify = List.copyOf(authUserPassVerify);
        learnAddress = List.copyOf(learnAddress);
        ignoredOptionsReported = List.copyOf(ignoredOptionsReported);
        warnings = List.copyOf(warnings);
    }

    /**
     * Builds the server view of {@code file}; relative file names are resolved against {@code baseDir}
     * (the working directory when null). Unknown directives are errors unless {@code ignoreUnknown}.
     */
    public static ServerConfig from(OvpnFile file, Path baseDir, boolean ignoreUnknown) throws OvpnParseException {
        return new ServerConfigReader(baseDir, ignoreUnknown).read(file);
    }

    /** Reads, parses and types the server config at {@code file}, resolving file references against its folder. */
    public static ServerConfig load(Path file, boolean ignoreUnknown) throws OvpnParseException {
        String text = ConfigFiles.readText(file, 0, null, OvpnFileParser.MAX_FILE_CHARS);
        return from(OvpnFile.parse(text), file.toAbsolutePath().getParent(), ignoreUnknown);
    }

    /** True when a pushed {@code ifconfig} carries a netmask (tap, or tun with topology subnet). */
    public boolean ifconfigCarriesNetmask() {
        return devType == DevType.TAP || topology == Topology.SUBNET;
    }

    /** The {@code mssfix} in effect: the configured one, or OpenVPN 2.6's default for this tun-mtu. */
    public io.culvert.engine.common.Mssfix effectiveMssfix() {
        return io.culvert.engine.common.Mssfix.effective(mssfix, tunMtu);
    }

    @Override
    public String toString() {
        return "ServerConfig[" + proto + " " + (local != null ? local : "*") + ":" + port + ", dev=" + devName
                + " (" + devType + ", " + topology + "), addressing=" + addressing + ", ifconfig=" + ifconfigLocal
                + " " + ifconfigRemoteNetmask + ", pool=" + ipv4Pool + ", pool6=" + ipv6Pool + ", pushes=" + pushes
                + ", tlsAuth=" + (tlsAuthKey != null) + ", tlsCrypt=" + (tlsCryptKey != null) + ", tlsCryptV2=" + (tlsCryptV2 != null)
                + ", warnings=" + warnings.size() + "]";
    }

    /** How {@code ifconfig} of a tun device and the client addresses relate. */
    public enum Topology {
        /** One /30 per client (the 2.6 default). */
        NET30,
        /** Point-to-point addresses; the client's peer is the server's address. */
        P2P,
        /** One address per client in the server's subnet. */
        SUBNET
    }

    /** Which helper (if any) configured the addressing. */
    public enum Addressing {
        /** {@code server NET MASK}. */
        SERVER,
        /** {@code server-bridge IP MASK START END}: a pool inside a bridged LAN. */
        SERVER_BRIDGE,
        /** {@code server-bridge} or {@code server-bridge nogw}: no pool, clients get addresses elsewhere (DHCP). */
        SERVER_BRIDGE_DHCP,
        /** {@code mode server} + {@code tls-server} with explicit {@code ifconfig}/{@code ifconfig-pool}. */
        EXPLICIT
    }

    /** {@code verify-client-cert}. */
    public enum VerifyClientCert {
        /** No client certificate is requested. */
        NONE,
        /** A client certificate is verified if sent. */
        OPTIONAL,
        /** A valid client certificate is required (the default). */
        REQUIRE
    }

    /**
     * The IPv4 pool, both ends inclusive; {@code netmask} is the mask pushed with each address (subnet and
     * tap) and null for net30 and p2p.
     */
    public record Ipv4Pool(String start, String end, String netmask) {}

    /** The IPv6 pool: addresses from {@code base} upwards, pushed as {@code base+i/bits}. */
    public record Ipv6Pool(String base, int bits) {}

    /** {@code ifconfig-pool-persist FILE [seconds]}; {@code seconds == 0} means read-only and fixed. */
    public record PoolPersist(String file, int seconds) {}

    /**
     * {@code tls-crypt-v2 FILE} with {@code tls-crypt-v2-max-age DAYS}: the server key's PEM text, and the age in days
     * above which a client key is refused (0 = no limit). {@link #toString()} never prints the key.
     */
    public record TlsCryptV2Server(String keyPem, int maxAgeDays) {
        @Override
        public String toString() {
            return "TlsCryptV2Server[maxAgeDays=" + maxAgeDays + "]";
        }
    }
}
