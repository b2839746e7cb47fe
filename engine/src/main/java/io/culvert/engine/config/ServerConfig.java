package io.culvert.engine.config;

import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnFileParser;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Path;
import java.util.List;

/**
 * The typed view of an OpenVPN 2.6 server config with the {@code server}, {@code server-ipv6},
 * {@code server-bridge} and {@code keepalive} helpers expanded as 2.6 does: the server's own tunnel
 * addresses, the address pools, server-side routes and the common part of every PUSH_REPLY in 2.6 order
 * (config {@code push} lines, then helper pushes, then keepalive). It is composed of small parts, the device,
 * keys, TLS and data-channel parts shared with {@link ClientConfig} among them. Key material is held as text;
 * {@link #toString()} never prints it. Instances are immutable.
 *
 * @param listen the server's socket
 * @param device {@code dev}, {@code tun-mtu}, {@code mssfix}
 * @param addresses tunnel addresses and pools
 * @param routing pushes and server-side routes
 * @param clients client-config-dir, limits, client-to-client
 * @param keys {@code ca}, {@code cert}, {@code key} and their sources
 * @param wrap {@code tls-auth}, {@code tls-crypt} or {@code tls-crypt-v2} with its max age
 * @param tls the client certificate's {@code remote-cert-tls} check
 * @param tlsTimers renegotiation and handshake timers
 * @param dataChannel ciphers, HMAC, compression
 * @param keepalive the server's own ping and restart timeout
 * @param checks client certificate, CRL and password checks
 * @param dhFile {@code dh} as written ({@code none}, a file or {@code [inline]})
 * @param scripts client-connect, client-disconnect, learn-address and script-security
 * @param monitoring verb, management interface, status file
 * @param ignoredOptionsReported directives accepted and ignored
 * @param warnings what the admin should know about the config, in file order
 */
public record ServerConfig(
        Listen listen, Device device, ServerAddresses addresses, ServerRouting routing, ServerClients clients,
        TlsKeys keys, WrapKeys wrap, TlsPolicy tls, TlsTimers tlsTimers, DataOptions dataChannel, Keepalive keepalive,
        ClientChecks checks, String dhFile, Scripts scripts, Monitoring monitoring,
        List<String> ignoredOptionsReported, List<String> warnings) {

    /** OpenVPN's default {@code ifconfig-pool-persist} interval in seconds. */
    public static final int DEFAULT_PERSIST_SECONDS = 600;
    /** OpenVPN caps an address pool at this many entries (IFCONFIG_POOL_MAX). */
    public static final int MAX_POOL_SIZE = 65536;

    public ServerConfig {
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

    /** This config with {@code more} pushed after its own pushes (gateway mode's resolvers found at start). */
    public ServerConfig withMorePushes(List<String> more) {
        List<String> all = new java.util.ArrayList<>(routing.pushes());
        all.addAll(more);
        return new ServerConfig(listen, device, addresses,
                new ServerRouting(all, routing.routes(), routing.ipv6Routes(), routing.gateway(), routing.natRoutes()), clients, keys, wrap,
                tls, tlsTimers, dataChannel, keepalive, checks, dhFile, scripts, monitoring, ignoredOptionsReported,
                warnings);
    }

    /** True when a pushed {@code ifconfig} carries a netmask (tap, or tun with topology subnet). */
    public boolean ifconfigCarriesNetmask() {
        return device.isTap() || addresses.topology() == Topology.SUBNET;
    }

    @Override
    public String toString() {
        return "ServerConfig[" + listen.proto() + " " + (listen.local() != null ? listen.local() : "*") + ":"
                + listen.port() + ", dev=" + device.name() + " (" + device.type() + ", " + addresses.topology()
                + "), addressing=" + addresses.addressing() + ", ifconfig=" + addresses.ifconfigLocal() + " "
                + addresses.ifconfigRemoteNetmask() + ", pool=" + addresses.ipv4Pool() + ", pool6="
                + addresses.ipv6Pool() + ", pushes=" + routing.pushes() + ", " + wrap + ", warnings=" + warnings.size()
                + "]";
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
}
