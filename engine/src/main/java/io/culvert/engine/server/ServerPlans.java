package io.culvert.engine.server;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.common.CommandLine;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.Keepalive;
import io.culvert.engine.config.Listen;
import io.culvert.engine.config.KeySource;
import io.culvert.engine.config.Scripts;
import io.culvert.engine.config.ServerAddresses;
import io.culvert.engine.config.ServerClients;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.TlsKeys;
import io.culvert.engine.config.TlsTimers;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import io.culvert.engine.protocol.AllowCompression;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.server.pool.AddressPool;
import io.culvert.engine.server.pool.PoolPersistence;
import io.culvert.engine.server.pool.PoolSpec;
import io.culvert.engine.tls.OwnIdentity;
import io.culvert.engine.tls.PassphraseSource;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.HashedCaDir;
import io.culvert.engine.tls.Revocation;
import io.culvert.engine.tls.TlsSettings;
import io.culvert.engine.tun.NetCommandException;
import io.culvert.engine.tun.NetConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resolves a typed {@link ServerConfig} into a runnable {@link ServerPlan}: keys loaded, pool built, device addressing decided. */
public final class ServerPlans {
    private static final Logger LOG = LoggerFactory.getLogger(ServerPlans.class);
    private ServerPlans() {}

    /** The plan of {@code c}; an encrypted key needs {@code askpass FILE} (see the three-argument form). */
    public static ServerPlan from(ServerConfig c, Path baseDir) throws EngineException {
        return from(c, baseDir, PassphraseSource.none());
    }

    /**
     * The plan of {@code c}; the passphrase of an encrypted key or PKCS#12 file is the first line of the
     * {@code askpass} file, or else comes from {@code prompt} (the console, for {@code culvert server}).
     */
    public static ServerPlan from(ServerConfig config, Path baseDir, PassphraseSource prompt) throws EngineException {
        ServerConfig c = withServerResolvers(config, Path.of("/etc/resolv.conf"));
        boolean tap = c.device().isTap();
        Keepalive alive = c.keepalive();
        TlsTimers timers = c.tlsTimers();
        ServerSettings settings = ServerSettings.builder(tls(c, prompt))
                .tcp(c.listen().proto() == ClientConfig.Proto.TCP).tap(tap).wrap(wrap(c))
                .dataCiphers(ciphers(c)).fallbackCipher(c.dataChannel().dataCiphersFallback()).auth(c.dataChannel().auth())
                .keepalive(alive.ping(), alive.pingRestart()).sessionTimeout(alive.sessionTimeout())
                .explicitExitNotify(alive.explicitExitNotify())
                .renegSec(timers.renegSec()).handWindow(timers.handWindow()).tlsTimeout(timers.tlsTimeout())
                .tunMtu(c.device().tunMtu()).mssfix(c.device().effectiveMssfix()).framing(framing(c))
                .clientAuth(clientAuth(c, baseDir))
                .build();
        AddressPool pool = pool(c);
        PoolPersistence persist = null;
        ServerConfig.PoolPersist poolPersist = c.addresses().poolPersist();
        if (pool != null && poolPersist != null) {
            persist = new PoolPersistence(baseDir.resolve(poolPersist.file()), poolPersist.seconds());
        }
        ServerClients clients = c.clients();
        if (!clients.pairPolicy().isOpen()) {
            LOG.info("client-to-client pair policy: {}", clients.pairPolicy().describe());
        }
        Path ccd = clients.clientConfigDir() == null ? null : baseDir.resolve(clients.clientConfigDir());
        List<ServerPlan.Socket> sockets = new ArrayList<>();
        for (Listen.Socket s : c.listen().sockets()) {
            sockets.add(new ServerPlan.Socket(bindAddress(s), s.proto() == ClientConfig.Proto.TCP, c.listen().bindDev()));
        }
        return ServerPlan.builder(settings, sockets.getFirst().bind(), new ConfigAdmission(c, ccd, pool, persist))
                .devName(c.device().name()).deviceSetup((dev, net) -> configureDevice(c, tap, dev, net))
                .subnetBroadcast(subnetBroadcast(c, tap)).tunnelAddress(tunnelAddress(c.addresses().ifconfigLocal()))
                .sockets(sockets).multihome(c.listen().multihome()).sameInterface(c.listen().sameInterface())
                .portShare(c.listen().portShare()).webSocket(c.listen().webSocket())
                .clientToClient(clients.clientToClient()).pairPolicy(clients.pairPolicy())
                .maxClients(clients.maxClients()).duplicateCn(clients.duplicateCn())
                .connectFreq(clients.connectFreq()).connectFreqInitial(clients.connectFreqInitial())
                .scripts(connectScripts(c, baseDir))
                .gateway(c.routing().gateway()).natRoutes(c.routing().natRoutes())
                .build();
    }

    private static Inet4Address tunnelAddress(String ifconfigLocal) {
        return ifconfigLocal != null && ServerCore.literal(ifconfigLocal) instanceof Inet4Address v4 ? v4 : null;
    }

    /**
     * Gateway mode without named resolvers pushes the server's own: the {@code nameserver} lines of {@code resolvConf}
     * that clients can reach (loopback stubs such as systemd-resolved's 127.0.0.53 are left out).
     */
    static ServerConfig withServerResolvers(ServerConfig c, Path resolvConf) {
        io.culvert.engine.config.Gateway g = c.routing().gateway();
        if (g == null || !g.resolvers().isEmpty()) {
            return c;
        }
        String text = "";
        try {
            text = Files.readString(resolvConf);
        } catch (IOException e) {
            LOG.warn("culvert-gateway: cannot read {}: {}", resolvConf, e.getMessage());
        }
        List<String> found = NatGateway.reachableResolvers(text);
        if (found.isEmpty()) {
            LOG.warn("culvert-gateway names no resolver and {} has none that clients can reach: no DNS is pushed;"
                    + " name one on the culvert-gateway line", resolvConf);
            return c;
        }
        LOG.info("culvert-gateway: pushing the server's resolvers {} (from {})", found, resolvConf);
        return c.withMorePushes(io.culvert.engine.config.Gateway.dnsPushes(found));
    }

    /**
     * Where the server listens, as OpenVPN does: {@code local} when given; else the IPv4 wildcard for {@code proto udp4}
     * or {@code tcp4} (IPv4 only), and the IPv6 wildcard for {@code udp6}, {@code tcp6} and a {@code proto} without a
     * family, which the runner opens dual-stack (IPv4 clients arrive as mapped addresses).
     */
    static InetSocketAddress bindAddress(ServerConfig c) {
        return bindAddress(c.listen().sockets().getFirst());
    }

    /** Where one socket listens, as {@link #bindAddress(ServerConfig)} says. */
    static InetSocketAddress bindAddress(Listen.Socket s) {
        if (s.local() != null) {
            return new InetSocketAddress(s.local(), s.port());
        }
        byte[] wildcard = s.family() == ClientConfig.IpFamily.IPV4 ? new byte[4] : new byte[16];
        try {
            return new InetSocketAddress(InetAddress.getByAddress(wildcard), s.port());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    private static TlsSettings tls(ServerConfig c, PassphraseSource prompt) throws EngineException {
        try {
            TlsKeys keys = c.keys();
            KeySource k = keys.keySource();
            PassphraseSource passphrase = k.askpassFile() != null ? PassphraseSource.firstLineOf(Path.of(k.askpassFile())) : prompt;
            HashedCaDir caPath = keys.caPath() == null ? null : HashedCaDir.load(Path.of(keys.caPath()));
            OwnIdentity id = OwnIdentity.load(new OwnIdentity.Source(keys.caPem(), keys.certPem(), keys.extraCertsPem(),
                    keys.keyPem(), k.keyName(), k.pkcs12(), k.pkcs12Name()), passphrase, caPath == null ? List.of() : caPath.cas());
            List<X509Certificate> ca = id.ca();
            List<X509Certificate> chain = id.chain();
            PrivateKey key = id.key();
            String eku = "client".equals(c.tls().remoteCertTls()) ? "client" : null;
            String purpose = "client".equals(c.tls().nsCertType()) ? "client" : null;
            Revocation revocation = c.checks().crlDir() != null ? Revocation.directory(Path.of(c.checks().crlDir()))
                    : c.checks().crlFile() != null ? Revocation.crlFile(Path.of(c.checks().crlFile()), ca)
                    : c.checks().crlPem() != null ? Revocation.crls(c.checks().crlPem(), ca) : Revocation.none();
            if (caPath != null) {
                revocation = Revocation.both(caPath, revocation);
            }
            return TlsSettings.forServer().trustAnchors(ca).identity(chain, key)
                    .peer(new PeerVerification(eku, purpose, null, null)).revocation(revocation).clientCerts(clientCerts(c))
                    .build();
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    private static TlsSettings.ClientCerts clientCerts(ServerConfig c) {
        return switch (c.checks().verifyClientCert()) {
            case NONE -> TlsSettings.ClientCerts.NONE;
            case OPTIONAL -> TlsSettings.ClientCerts.OPTIONAL;
            case REQUIRE -> TlsSettings.ClientCerts.REQUIRE;
        };
    }

    private static ClientAuth clientAuth(ServerConfig c, Path baseDir) throws EngineException {
        PasswordCheck passwords = null;
        List<String> verify = c.checks().authUserPassVerify();
        if (!verify.isEmpty()) {
            passwords = new ScriptPasswordCheck(command(verify.get(0), baseDir, "auth-user-pass-verify"),
                    verify.get(1).equals("via-file"), tmpDir(c), Duration.ofSeconds(c.tlsTimers().handWindow()), scriptEnv(c))
                    .withX509Track(c.scripts().x509Track());
        }
        return new ClientAuth(clientCerts(c), passwords, c.checks().authUserPassOptional(), c.checks().usernameAsCommonName(),
                c.checks().usernameFields());
    }

    private static ConnectScripts connectScripts(ServerConfig c, Path baseDir) throws EngineException {
        Scripts s = c.scripts();
        if (s.clientConnect() == null && s.clientDisconnect() == null && s.learnAddress().isEmpty()) {
            return null;
        }
        List<String> learn = s.learnAddress().isEmpty() ? List.of()
                : command(String.join(" ", s.learnAddress()), baseDir, "learn-address");
        List<String> connect = s.clientConnect() == null ? List.of() : command(s.clientConnect(), baseDir, "client-connect");
        List<String> disconnect = s.clientDisconnect() == null ? List.of()
                : command(s.clientDisconnect(), baseDir, "client-disconnect");
        Duration timeout = Duration.ofSeconds(c.tlsTimers().handWindow());
        return new ConnectScripts(connect, disconnect, learn, tmpDir(c), timeout, scriptEnv(c), c.scripts().x509Track());
    }

    /** The script's words; a relative program found next to the config runs from there. */
    private static List<String> command(String line, Path baseDir, String directive) throws EngineException {
        List<String> command = new ArrayList<>(CommandLine.split(line));
        if (command.isEmpty()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, directive + ": no script given");
        }
        Path program = Path.of(command.getFirst());
        if (!program.isAbsolute() && Files.isRegularFile(baseDir.resolve(program))) {
            command.set(0, baseDir.resolve(program).toString());
        }
        return command;
    }

    private static Path tmpDir(ServerConfig c) {
        return Path.of(c.scripts().tmpDir() != null ? c.scripts().tmpDir() : System.getProperty("java.io.tmpdir"));
    }

    /** What OpenVPN tells every script about the server itself. */
    private static Map<String, String> scriptEnv(ServerConfig c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("dev", c.device().name());
        List<Listen.Socket> sockets = c.listen().sockets();
        for (int i = 0; i < sockets.size(); i++) {
            // OpenVPN 2.7 numbers its listen list: proto_N, local_port_N, and local_N when the line names an address.
            Listen.Socket s = sockets.get(i);
            env.put("proto_" + (i + 1), s.proto() == ClientConfig.Proto.TCP ? "tcp-server" : "udp");
            env.put("local_port_" + (i + 1), Integer.toString(s.port()));
            if (s.local() != null) {
                env.put("local_" + (i + 1), s.local());
            }
        }
        env.put("verb", Integer.toString(c.monitoring().verb()));
        env.put("daemon", "0");
        if (c.addresses().ifconfigLocal() != null) {
            env.put("ifconfig_local", c.addresses().ifconfigLocal());
        }
        return env;
    }

    private static ControlWrapSpec wrap(ServerConfig c) throws EngineException {
        try {
            if (c.wrap().tlsCryptKey() != null) {
                return ControlWrapSpec.tlsCrypt(StaticKey.parse(c.wrap().tlsCryptKey()));
            }
            if (c.wrap().tlsCryptV2Key() != null) {
                return ControlWrapSpec.tlsCryptV2Server(TlsCryptV2ServerKey.parse(c.wrap().tlsCryptV2Key()),
                        c.wrap().tlsCryptV2MaxAgeDays());
            }
            if (c.wrap().tlsAuthKey() != null) {
                Integer direction = c.wrap().keyDirection();
                KeyDirection dir = KeyDirection.fromConfig(direction == null ? null : direction.toString());
                return ControlWrapSpec.tlsAuth(StaticKey.parse(c.wrap().tlsAuthKey()), dir, c.dataChannel().auth());
            }
            return ControlWrapSpec.none();
        } catch (IllegalArgumentException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "tls-auth/tls-crypt/tls-crypt-v2 key: " + e.getMessage(), e);
        }
    }

    private static List<String> ciphers(ServerConfig c) throws EngineException {
        List<String> names = c.dataChannel().dataCiphers().stream().map(DataCipher::byName).flatMap(Optional::stream)
                .map(DataCipher::openvpnName).distinct().toList();
        if (names.isEmpty()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID,
                    "none of data-ciphers " + c.dataChannel().dataCiphers() + " is supported");
        }
        return names;
    }

    private static CompressionFraming framing(ServerConfig c) throws EngineException {
        List<String> words = c.dataChannel().compress() != null ? words("compress", c.dataChannel().compress())
                : c.dataChannel().compLzo() != null ? words("comp-lzo", c.dataChannel().compLzo()) : null;
        if (words == null) {
            return CompressionFraming.NONE;
        }
        AllowCompression allow = AllowCompression.parse(c.dataChannel().allowCompression());
        return CompressionFraming.fromPushed(words, allow).orElseThrow(() -> new EngineException(ErrorKind.CONFIG_INVALID,
                "compression '" + String.join(" ", words) + "' is not supported"
                        + (allow == AllowCompression.NO ? " with allow-compression no (only the stubs: comp-lzo no,"
                        + " compress, compress stub-v2; set allow-compression asym or yes to decompress)" : "")));
    }

    private static List<String> words(String name, String arg) {
        return arg.isEmpty() ? List.of(name) : List.of(name, arg);
    }

    private static AddressPool pool(ServerConfig c) {
        ServerConfig.Ipv4Pool v4 = c.addresses().ipv4Pool();
        ServerConfig.Ipv6Pool v6 = c.addresses().ipv6Pool();
        if (v4 == null && v6 == null) {
            return null;
        }
        PoolSpec.Mode mode = c.ifconfigCarriesNetmask() ? PoolSpec.Mode.SUBNET
                : c.addresses().topology() == ServerConfig.Topology.P2P ? PoolSpec.Mode.P2P : PoolSpec.Mode.NET30;
        PoolSpec spec = v4 != null
                ? PoolSpec.ipv4(mode, v4.start(), v4.end(), v4.netmask(), c.addresses().ifconfigLocal())
                : PoolSpec.ipv6Only(v6.base(), v6.bits(), c.addresses().ifconfigIpv6Local());
        if (v4 != null && v6 != null) {
            spec = spec.withIpv6(v6.base(), v6.bits(), c.addresses().ifconfigIpv6Local());
        }
        return new AddressPool(spec);
    }

    private static Inet4Address subnetBroadcast(ServerConfig c, boolean tap) {
        ServerAddresses addresses = c.addresses();
        if (!c.ifconfigCarriesNetmask() || addresses.ifconfigLocal() == null || addresses.ifconfigRemoteNetmask() == null) {
            return null;
        }
        byte[] a = InetAddress.ofLiteral(c.addresses().ifconfigLocal()).getAddress();
        byte[] m = InetAddress.ofLiteral(c.addresses().ifconfigRemoteNetmask()).getAddress();
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (a[i] | ~m[i]);
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static void configureDevice(ServerConfig c, boolean tap, String dev, NetConfig net) throws IOException {
        String vpnGateway = null;
        if (c.addresses().ifconfigLocal() != null && c.addresses().ifconfigRemoteNetmask() != null) {
            if (c.ifconfigCarriesNetmask()) {
                net.addAddress(dev, c.addresses().ifconfigLocal() + "/" + prefix(c.addresses().ifconfigRemoteNetmask()));
            } else {
                net.addPeerAddress(dev, c.addresses().ifconfigLocal(), c.addresses().ifconfigRemoteNetmask());
                vpnGateway = c.addresses().ifconfigRemoteNetmask();
            }
        }
        if (c.addresses().ifconfigIpv6Local() != null) {
            net.addAddress6(dev, c.addresses().ifconfigIpv6Local() + "/" + c.addresses().ifconfigIpv6Bits());
        }
        // As in openvpn, a route that fails (already present, refused) is logged and the server carries on.
        for (ClientConfig.Route r : c.routing().routes()) {
            String mask = r.netmask() == null ? "255.255.255.255" : r.netmask();
            String gw = r.gateway() != null && !r.gateway().equals("vpn_gateway") ? r.gateway() : vpnGateway;
            String cidr = r.network() + "/" + prefix(mask);
            int metric = r.metric() == null ? -1 : r.metric();
            routeOrWarn(cidr + (gw == null ? "" : " via " + gw) + " dev " + dev + table(r),
                    () -> net.addRoute(cidr, gw, dev, metric, r.table()));
        }
        for (ClientConfig.Route r : c.routing().ipv6Routes()) {
            int metric = r.metric() == null ? -1 : r.metric();
            routeOrWarn(r.network() + (r.gateway() == null ? "" : " via " + r.gateway()) + " dev " + dev + table(r),
                    () -> net.addRoute6(r.network(), r.gateway(), dev, metric, r.table()));
        }
    }

    /** How a route's {@code route-table} reads in the log: nothing for main. */
    private static String table(ClientConfig.Route r) {
        return r.table() == 0 ? "" : " table " + r.table();
    }

    /** One route change that may fail without stopping the server. */
    private interface RouteChange {
        void apply() throws IOException;
    }

    private static void routeOrWarn(String route, RouteChange change) {
        try {
            change.apply();
        } catch (NetCommandException e) {
            LOG.warn("Route {} not added: {}", route, e.kernelReason());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Route {} not added: {}", route, e.getMessage());
        }
    }

    private static int prefix(String netmask) {
        int bits = 0;
        for (byte x : InetAddress.ofLiteral(netmask).getAddress()) {
            bits += Integer.bitCount(x & 0xff);
        }
        return bits;
    }
}
