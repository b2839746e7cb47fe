package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ServerConfig.Addressing;
import io.culvert.engine.config.ServerConfig.Ipv4Pool;
import io.culvert.engine.config.ServerConfig.Ipv6Pool;
import io.culvert.engine.config.ServerConfig.PoolPersist;
import io.culvert.engine.config.ServerConfig.Topology;
import io.culvert.engine.config.ServerConfig.VerifyClientCert;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutable accumulator for {@link ServerConfig}: the server's own parts, pre-set to their {@code DEFAULTS}, and the
 * {@link SharedParts}. Not thread-safe.
 */
final class ServerConfigBuilder {
    final SharedParts shared = new SharedParts();
    Proto proto = Listen.DEFAULTS.proto();
    IpFamily family = Listen.DEFAULTS.family();
    int port = Listen.DEFAULTS.port();
    String local = Listen.DEFAULTS.local();
    /** Each {@code local} line in file order; null port, proto or family where the line left them to the config. */
    final List<LocalLine> locals = new ArrayList<>();
    boolean multihome;
    int multihomeLine;
    boolean sameInterface;
    Listen.PortShare portShare;
    int portShareLine;
    boolean tcpNodelay;
    /** {@code bind-dev}, or null. */
    String bindDev;
    ServerClients.Rate connectFreq;
    int connectFreqLine;
    ServerClients.Rate connectFreqInitial;
    /** {@code culvert-websocket}, or null; its trusted proxies are added when the config is built. */
    WebSocketListen webSocket;
    final List<String> trustedProxies = new ArrayList<>();
    /** {@code culvert-websocket-group}, or null. */
    String webSocketGroup;
    /** {@code culvert-websocket-token-file}, resolved, or null. */
    String webSocketTokenFile;
    /** {@code culvert-websocket-client-cn-header}, or null. */
    String webSocketCnHeader;

    /** One {@code local host|* [port] [proto]} line as written; a null field takes the config's value. */
    record LocalLine(String host, Integer port, Proto proto, IpFamily family) {}

    /** OpenVPN 2.7's listen list: the {@code local} lines with the config's port and proto filled in, or one socket. */
    Listen listen() {
        if (locals.isEmpty()) {
            return new Listen(proto, family, port, local, null, multihome, sameInterface, portShare, bindDev,
                    webSocket == null ? null : webSocket.with(trustedProxies, webSocketGroup, webSocketTokenFile,
                            webSocketCnHeader));
        }
        List<Listen.Socket> sockets = new ArrayList<>();
        for (LocalLine l : locals) {
            sockets.add(new Listen.Socket(l.proto() != null ? l.proto() : proto, l.proto() != null ? l.family() : family,
                    l.port() != null ? l.port() : port, l.host()));
        }
        return Listen.of(sockets, multihome, sameInterface, portShare).withBindDev(bindDev)
                .withWebSocket(webSocket == null ? null : webSocket.with(trustedProxies, webSocketGroup, webSocketTokenFile,
                        webSocketCnHeader));
    }
    Topology topology = Topology.NET30;
    Addressing addressing;
    String ifconfigLocal;
    String ifconfigRemoteNetmask;
    String ifconfigIpv6Local;
    int ifconfigIpv6Bits;
    String ifconfigIpv6Remote;
    Ipv4Pool ipv4Pool;
    Ipv6Pool ipv6Pool;
    PoolPersist poolPersist;
    final List<String> pushes = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    final List<Route> ipv6Routes = new ArrayList<>();
    /** The last {@code route-table} read so far (0 = main): the table of the route lines after it. */
    int routeTable;
    Gateway gateway;
    final List<NatRoute> natRoutes = new ArrayList<>();
    String clientConfigDir;
    boolean ccdExclusive;
    boolean clientToClient;
    io.culvert.engine.common.PairPolicy pairPolicy = io.culvert.engine.common.PairPolicy.OPEN;
    boolean duplicateCn;
    int maxClients = ServerClients.DEFAULTS.maxClients();
    int maxRoutesPerClient = ServerClients.DEFAULTS.maxRoutesPerClient();
    VerifyClientCert verifyClientCert = ClientChecks.DEFAULTS.verifyClientCert();
    String crlPem;
    String crlDir;
    String crlFile;
    boolean usernameAsCommonName;
    List<String> authUserPassVerify = ClientChecks.DEFAULTS.authUserPassVerify();
    boolean authUserPassOptional;
    String dhFile;
    int scriptSecurity = Scripts.DEFAULTS.scriptSecurity();
    String tmpDir;
    String clientConnect;
    String clientDisconnect;
    List<String> learnAddress = Scripts.DEFAULTS.learnAddress();
    List<String> usernameFields = ClientChecks.DEFAULTS.usernameFields();
    final List<String> x509Track = new java.util.ArrayList<>();

    ServerConfig build() {
        SharedParts s = shared;
        Listen listen = listen();
        if (multihome && !listen.hasUdp()) {
            s.warnings.add("line " + multihomeLine + ": 'multihome' has no effect: the server has no UDP socket");
        }
        return new ServerConfig(listen, s.device(),
                new ServerAddresses(topology, addressing, ifconfigLocal, ifconfigRemoteNetmask, ifconfigIpv6Local,
                        ifconfigIpv6Bits, ifconfigIpv6Remote, ipv4Pool, ipv6Pool, poolPersist),
                new ServerRouting(pushes, routes, ipv6Routes, gateway, natRoutes),
                new ServerClients(clientConfigDir, ccdExclusive, clientToClient, duplicateCn, maxClients, maxRoutesPerClient,
                        connectFreq, connectFreqInitial, pairPolicy),
                s.keys(), s.wrap(), s.tls(), s.tlsTimers(), s.dataOptions(), s.keepalive(),
                new ClientChecks(verifyClientCert, crlPem, crlDir, crlFile, usernameAsCommonName, authUserPassVerify,
                        authUserPassOptional, usernameFields),
                dhFile, new Scripts(scriptSecurity, tmpDir, clientConnect, clientDisconnect, learnAddress, x509Track),
                s.monitoring(), List.copyOf(s.ignored), s.warnings);
    }
}
