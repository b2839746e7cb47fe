package io.culvert.engine.config;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.DirectiveValidator.Checked;
import io.culvert.engine.config.Directives.Support;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Turns a validated {@link OvpnFile} into a {@link ServerConfig}: dispatches server directives, rejects
 * client-only ones, and hands the addressing helpers to {@link ServerAddressing}. One instance per read;
 * not thread-safe.
 */
final class ServerConfigReader {
    /** Directives that make no sense in a server config. */
    /** OpenVPN 2.6 and 2.7 refuse {@code shaper} in server mode ({@code MUST_BE_UNDEF(shaper)} in options.c). */
    static final String SHAPER_IN_SERVER = "--shaper cannot be used with --mode server, as in OpenVPN;"
            + " push \"shaper N\" (in a client-config-dir file for one client) to limit what a client sends";
    static final Set<String> CLIENT_ONLY =
            Set.of("client", "remote", "pull", "tls-client", "auth-user-pass", "nobind", "connection",
                    "http-proxy", "http-proxy-option", "http-proxy-user-pass", "socks-proxy", "socks-proxy-user-pass",
                    KillSwitch.DIRECTIVE, WebSocketRemote.DIRECTIVE, WebSocketRemote.CA);
    /**
     * Every directive {@link #claim} or {@link ServerValueReader#apply} (with {@link SharedDirectiveReader}) acts on
     * (ServerHandledTest keeps it honest).
     */
    static final Set<String> HANDLED = Set.of("mode", "tls-server", "server", "server-ipv6", "server-bridge",
            "ifconfig", "ifconfig-ipv6", "ifconfig-pool", "ifconfig-ipv6-pool", "ifconfig-pool-persist",
            "ccd-exclusive", "dev", "dev-type", "topology", "proto", "keepalive", "port", "lport", "local", "multihome",
            "client-config-dir", "push", "push-reset", "push-remove", "route", "route-ipv6", "route-table", "client-to-client",
            "duplicate-cn", "max-clients", "max-routes-per-client", "ping", "ping-restart", "session-timeout", "dh", "ca", "cert",
            "key", "extra-certs", "pkcs12", "capath", "askpass", "crl-verify", "tls-auth", "tls-crypt", "tls-crypt-v2", "tls-crypt-v2-max-age", "key-direction", "auth", "cipher",
            "data-ciphers", "ncp-ciphers", "data-ciphers-fallback", "tun-mtu", "mssfix", "explicit-exit-notify",
            "reneg-sec", "hand-window", "tls-timeout", "verify-client-cert", "remote-cert-tls", "ns-cert-type",
            "username-as-common-name", "x509-username-field", "x509-track", "auth-user-pass-verify", "auth-user-pass-optional", "tmp-dir", "client-connect", "client-disconnect", "script-security", "management", "management-hold",
            "management-log-cache", "status", "verb",
            "learn-address", "comp-lzo", "compress", "allow-compression", "ignore-unknown-option", "port-share",
            "tcp-nodelay", "bind-dev", "connect-freq", "connect-freq-initial", Gateway.DIRECTIVE, PairPolicyReader.GROUP,
            PairPolicyReader.DENY, PairPolicyReader.ALLOW, PairPolicyReader.ALLOW_ONLY,
            NatRoute.DIRECTIVE, WebSocketListen.DIRECTIVE, WebSocketListen.TRUSTED_PROXY, WebSocketListen.GROUP,
            WebSocketListen.TOKEN_FILE, WebSocketListen.CLIENT_CN_HEADER);
    /**
     * Directives that can refuse a client. Culvert cannot run them, and ignoring them would admit clients the
     * admin meant to keep out, so a server config with one does not load.
     */
    static final java.util.Map<String, String> GATEKEEPERS = java.util.Map.of(
            "plugin", "plugins cannot be loaded by Culvert; check passwords with auth-user-pass-verify instead",
            "management-client-auth", "client authorisation over the management interface is not supported",
            "tls-verify", "tls-verify scripts are not run by Culvert; use crl-verify or remote-cert-tls client",
            "tls-crypt-v2-verify", "tls-crypt-v2-verify scripts are not run by Culvert; tls-crypt-v2-max-age can refuse old client keys");
    /** Ignored without a warning: stock OpenVPN needs them, Culvert does not. */
    static final Set<String> UNIMPLEMENTED_NOTE_FREE = Set.of("persist-key", "persist-tun", "user", "group");

    final ServerConfigBuilder b = new ServerConfigBuilder();
    private final ServerValueReader values;
    private final boolean ignoreUnknown;
    private final Path baseDir;
    Directive mode;
    Directive tlsServer;
    Directive server;
    Directive serverIpv6;
    Directive serverBridge;
    Directive ifconfig;
    Directive ifconfigIpv6;
    Directive ifconfigPool;
    Directive ifconfigIpv6Pool;
    Directive poolPersist;
    Directive ccdExclusive;
    Directive keepalive;
    Directive pingOption;
    Directive topology;
    private Directive verifyClientCert;
    private Gateway.Written gateway;
    private final PairPolicyReader pairPolicy = new PairPolicyReader();
    private final List<NatRoute.Written> natRoutes = new java.util.ArrayList<>();

    ServerConfigReader(Path baseDir, boolean ignoreUnknown) {
        this.ignoreUnknown = ignoreUnknown;
        this.baseDir = baseDir;
        this.values = new ServerValueReader(b, baseDir);
    }

    ServerConfig read(OvpnFile file) throws OvpnParseException {
        DirectiveValidator.Result checked = DirectiveValidator.validate(file, ignoreUnknown);
        b.shared.warnings.addAll(checked.warnings());
        for (Checked c : checked.global()) {
            apply(c);
        }
        return finish();
    }

    private void apply(Checked c) throws OvpnParseException {
        Directive d = c.directive();
        if (CLIENT_ONLY.contains(d.name())) {
            throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT, "client directive in a server config");
        }
        if (d.name().equals("shaper")) {
            throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT, SHAPER_IN_SERVER);
        }
        if (claim(d) || values.apply(d)) {
            return;
        }
        String refusal = GATEKEEPERS.get(d.name());
        if (refusal != null) {
            throw new OvpnParseException(d.line(), d.name(), Reason.UNSUPPORTED_DIRECTIVE, refusal
                    + " (refusing to start a server that would admit clients this directive may refuse)");
        }
        Support support = c.spec().support();
        if (support == Support.UNSUPPORTED) {
            throw new OvpnParseException(d.line(), d.name(), Reason.UNSUPPORTED_DIRECTIVE, c.spec().note());
        }
        b.shared.ignored.add(d.name());
        if (support != Support.IGNORED && !UNIMPLEMENTED_NOTE_FREE.contains(d.name())) {
            // a server directive the catalogue warns about says why (its note); anything else is simply not implemented
            String why = support == Support.WARN && c.spec().role() == Directives.Role.SERVER
                    ? c.spec().note().replaceFirst("^not applied: ", "")
                    : "not implemented by the Culvert server";
            b.shared.warnings.add("line " + d.line() + ": '" + d.name() + "' ignored: " + why);
        }
    }

    /** Directives whose meaning depends on others; remembered for {@link #finish()}. */
    boolean claim(Directive d) throws OvpnParseException {
        switch (d.name()) {
            case "mode" -> {
                if (ArgValues.oneOf(d, 0, List.of("server", "p2p")).equals("p2p")) {
                    throw new OvpnParseException(d.line(), d.name(), Reason.UNSUPPORTED_DIRECTIVE,
                            "point-to-point mode is not a server; use 'mode server'");
                }
                mode = d;
            }
            case "tls-server" -> tlsServer = d;
            case "server" -> server = d;
            case "server-ipv6" -> serverIpv6 = d;
            case "server-bridge" -> serverBridge = d;
            case "ifconfig" -> ifconfig = d;
            case "ifconfig-ipv6" -> ifconfigIpv6 = d;
            case "ifconfig-pool" -> ifconfigPool = d;
            case "ifconfig-ipv6-pool" -> ifconfigIpv6Pool = d;
            case "ifconfig-pool-persist" -> poolPersist = d;
            case "ccd-exclusive" -> ccdExclusive = d;
            case "topology" -> topology = d;
            case "proto" -> proto(d);
            case Gateway.DIRECTIVE -> {
                if (gateway != null) {
                    throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT,
                            "culvert-gateway is already given on line " + gateway.directive().line());
                }
                gateway = Gateway.read(d);
            }
            case NatRoute.DIRECTIVE -> natRoutes.add(NatRoute.read(d));
            case "keepalive" -> {
                keepalive = d;
                keepaliveConflict(d);
            }
            case "ping", "ping-restart" -> {
                pingOption = d;
                keepaliveConflict(d);
                return false;
            }
            case "verify-client-cert" -> {
                verifyClientCert = d;
                return false;
            }
            default -> {
                return pairPolicy.claim(d);
            }
        }
        return true;
    }

    private void proto(Directive d) throws OvpnParseException {
        Protocol p = protocol(d, 0);
        b.proto = p.proto();
        b.family = p.family();
    }

    /** A server protocol and the family it names. */
    record Protocol(Proto proto, IpFamily family) {}

    /** Reads a server protocol ({@code udp}, {@code udp4}, {@code tcp6}, {@code tcp-server} …) at {@code index}. */
    static Protocol protocol(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        String base = s.endsWith("-server") ? s.substring(0, s.length() - "-server".length()) : s;
        IpFamily family = base.endsWith("4") ? IpFamily.IPV4 : base.endsWith("6") ? IpFamily.IPV6 : IpFamily.ANY;
        String kind = family == IpFamily.ANY ? base : base.substring(0, base.length() - 1);
        boolean tcp = kind.equals("tcp");
        if (!(tcp || (kind.equals("udp") && base.equals(s)))) {
            String why = s.endsWith("-client") ? "' is a client protocol; a server uses tcp or tcp-server"
                    : "' is not a server protocol (udp, udp4, udp6, tcp, tcp4, tcp6, tcp-server)";
            throw ArgValues.invalid(d, "'" + s + why);
        }
        return new Protocol(tcp ? Proto.TCP : Proto.UDP, family);
    }

    private void keepaliveConflict(Directive later) throws OvpnParseException {
        if (keepalive != null && pingOption != null) {
            throw new OvpnParseException(later.line(), later.name(), Reason.CONFLICT,
                    "keepalive conflicts with ping and ping-restart; keepalive sets both");
        }
    }

    private ServerConfig finish() throws OvpnParseException {
        values.shared().finishDevice();
        if (topology != null) {
            b.topology = ServerConfig.Topology.valueOf(
                    ArgValues.oneOf(topology, 0, List.of("net30", "p2p", "subnet")).toUpperCase(java.util.Locale.ROOT));
        }
        new ServerAddressing(this).expand();
        if (gateway != null) {
            b.gateway = gatewayOn(gateway);
            b.pushes.addAll(b.gateway.pushes());
        }
        b.pairPolicy = pairPolicy.finish(b.clientToClient);
        for (NatRoute.Written w : natRoutes) {
            NatRoute r = new NatRoute(w.network(), w.bits(), w.outbound(), w.nat(), clientsV4(w.directive(), "a NAT route"),
                    w.directive().line());
            b.natRoutes.add(r);
            b.pushes.add(r.push());
        }
        keepalivePushes();
        if (b.tcpNodelay) {
            // OpenVPN's helper_tcp_nodelay, after the keepalive helper; Culvert's own TCP sockets always have it.
            b.pushes.add("socket-flags TCP_NODELAY");
        }
        if (b.connectFreq != null && b.proto != Proto.UDP) {
            // OpenVPN checks the config's proto (options.c), so a multi-socket server with proto udp may use it
            throw new OvpnParseException(b.connectFreqLine, "connect-freq", Reason.CONFLICT,
                    "--connect-freq only works with --mode server --proto udp.  Try --max-clients instead.");
        }
        if (!b.trustedProxies.isEmpty() && b.webSocket == null) {
            b.shared.warnings.add("'" + WebSocketListen.TRUSTED_PROXY + "' has no effect without " + WebSocketListen.DIRECTIVE);
        }
        if ((b.webSocketGroup != null || b.webSocketTokenFile != null || b.webSocketCnHeader != null)
                && b.webSocket == null) {
            b.shared.warnings.add("'" + WebSocketListen.GROUP + "', '" + WebSocketListen.TOKEN_FILE + "' and '"
                    + WebSocketListen.CLIENT_CN_HEADER + "' have no effect without " + WebSocketListen.DIRECTIVE);
        }
        if (b.webSocketCnHeader != null && b.webSocket != null && !b.webSocket.unix() && b.trustedProxies.isEmpty()) {
            b.shared.warnings.add("'" + WebSocketListen.CLIENT_CN_HEADER + "' without '" + WebSocketListen.TRUSTED_PROXY
                    + "': every upgrade is refused (the header is read only from a trusted proxy)");
        }
        if (b.webSocketGroup != null && b.webSocket != null && !b.webSocket.unix()) {
            b.shared.warnings.add("'" + WebSocketListen.GROUP + "' has no effect on a TCP endpoint (only on unix:/path)");
        }
        if (b.portShare != null && !b.listen().hasTcp()) {
            throw new OvpnParseException(b.portShareLine, "port-share", Reason.CONFLICT,
                    "--port-share only works in TCP server mode (proto tcp-server, or a local line with tcp)");
        }
        SharedParts s = b.shared;
        if (s.pkcs12 != null) {
            KeyMaterial.pkcs12Conflicts(s.certPem != null, s.keyPem != null);
        } else {
            if (s.caPem == null && s.caPath == null) {
                throw missing("ca", "no CA certificate to verify clients");
            }
            if (s.certPem == null) {
                throw missing("cert", "no server certificate");
            }
            if (s.keyPem == null) {
                throw missing("key", "no private key for the server certificate");
            }
        }
        if (b.dhFile == null) {
            throw missing("dh", "a TLS server needs 'dh FILE' or 'dh none' (Culvert uses ECDHE only)");
        }
        if (ccdExclusive != null && b.clientConfigDir == null) {
            throw new OvpnParseException(ccdExclusive.line(), ccdExclusive.name(), Reason.MISSING_REQUIRED,
                    "ccd-exclusive needs client-config-dir");
        }
        if (verifyClientCert != null && b.verifyClientCert != ServerConfig.VerifyClientCert.REQUIRE
                && b.authUserPassVerify.isEmpty()) {
            throw new OvpnParseException(verifyClientCert.line(), verifyClientCert.name(), Reason.MISSING_REQUIRED,
                    "verify-client-cert none|optional needs auth-user-pass-verify to check passwords");
        }
        values.finish();
        return b.build();
    }

    /** Gateway mode on the server's addressing: which source addresses are masqueraded. */
    private Gateway gatewayOn(Gateway.Written w) throws OvpnParseException {
        Directive d = w.directive();
        if (b.addressing == ServerConfig.Addressing.SERVER_BRIDGE || b.addressing == ServerConfig.Addressing.SERVER_BRIDGE_DHCP) {
            throw ArgValues.invalid(d, "gateway mode needs a routed server ('server' or 'ifconfig-pool'), not server-bridge:"
                    + " bridged clients are on the LAN already");
        }
        String v4 = w.ipv4() ? clientsV4(d, "gateway mode for IPv4") : null;
        String v6 = null;
        if (w.ipv6()) {
            if (b.ifconfigIpv6Local == null) {
                throw ArgValues.invalid(d, "gateway mode for IPv6 needs 'server-ipv6' (the clients' IPv6 network)");
            }
            java.math.BigInteger host = Addresses.parseIpv6(b.ifconfigIpv6Local);
            java.math.BigInteger mask = Addresses.IPV6_MAX.shiftRight(b.ifconfigIpv6Bits).xor(Addresses.IPV6_MAX);
            v6 = Addresses.ipv6Text(host.and(mask)) + "/" + b.ifconfigIpv6Bits;
        }
        return new Gateway(w.outbound(), w.ipv4(), w.ipv6(), w.resolvers(), v4, v6, d.line());
    }

    /** The clients' IPv4 addresses as nftables matches them: the {@code server} network, else the pool's range. */
    private String clientsV4(Directive d, String what) throws OvpnParseException {
        if (b.addressing == ServerConfig.Addressing.SERVER_BRIDGE || b.addressing == ServerConfig.Addressing.SERVER_BRIDGE_DHCP) {
            throw ArgValues.invalid(d, what + " needs a routed server ('server' or 'ifconfig-pool'), not server-bridge:"
                    + " bridged clients are on the LAN already");
        }
        if (server != null) {
            int mask = IpText.ipv4(server, 1);
            return Addresses.ipv4Text(IpText.ipv4(server, 0)) + "/" + Addresses.maskBits(mask);
        }
        if (b.ipv4Pool != null) {
            return b.ipv4Pool.start() + "-" + b.ipv4Pool.end();
        }
        throw ArgValues.invalid(d, what + " needs 'server' or 'ifconfig-pool' (the clients' addresses)");
    }

    private void keepalivePushes() throws OvpnParseException {
        if (keepalive == null) {
            b.shared.warnings.add("keepalive is missing from the server config: dead clients are never timed out");
            return;
        }
        int interval = ArgValues.intIn(keepalive, 0, 1, Keepalive.PING_TIMEOUT_MAX);
        int timeout = ArgValues.intIn(keepalive, 1, 1, Keepalive.PING_TIMEOUT_MAX);
        if ((long) interval * 2 > timeout) {
            throw ArgValues.invalid(keepalive, "restart timeout " + timeout
                    + " must be at least twice the ping interval " + interval);
        }
        b.shared.ping = interval;
        b.shared.pingRestart = timeout * 2;
        b.pushes.add("ping " + interval);
        b.pushes.add("ping-restart " + timeout);
    }

    Path baseDir() {
        return baseDir;
    }

    static OvpnParseException missing(String directive, String detail) {
        return new OvpnParseException(0, directive, Reason.MISSING_REQUIRED, detail);
    }
}
