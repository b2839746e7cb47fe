package io.culvert.engine.server;

import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.config.Gateway;
import io.culvert.engine.config.Listen;
import io.culvert.engine.config.NatRoute;
import io.culvert.engine.config.ServerClients;
import io.culvert.engine.config.WebSocketListen;
import io.culvert.engine.server.route.RemoteFlows;
import io.culvert.engine.tls.Revocation;
import io.culvert.engine.tun.NetConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A server resolved from its config: what to listen on, the device and its addressing, and how clients are
 * admitted. Instances are immutable (the admission policy may keep its own state, e.g. a pool).
 *
 * @param bind address and port of the first socket
 * @param devName requested device name ("tun", "tap", "tun0" …)
 * @param deviceSetup addresses and routes for the server's own device, given its kernel name
 * @param subnetBroadcast the tunnel subnet's broadcast address (TUN subnet topology), or null
 * @param sockets every listening socket (OpenVPN 2.7's {@code local} lines), the first on {@code bind}; never empty
 * @param multihome whether UDP replies leave from the address (and, with {@code sameInterface}, the interface) each
 *     client's datagrams arrive on
 * @param portShare where TCP connections that are not OpenVPN are relayed ({@code port-share}), or null
 * @param connectFreq {@code connect-freq} (UDP clients), or null
 * @param connectFreqInitial {@code connect-freq-initial} (UDP clients), or null for the built-in limit
 * @param gateway gateway mode ({@code culvert-gateway}), or null
 * @param pairPolicy which clients may reach each other with client-to-client (ADR 0037); never null
 * @param natRoutes networks behind the server its clients reach through it ({@code culvert-nat-route})
 * @param tunnelAddress the server's own IPv4 tunnel address (the path check's probes come from it), or null
 * @param webSocket the WebSocket endpoint behind a reverse proxy ({@code culvert-websocket}; ADR 0042), or null
 * @param remoteFlows where a fleet server counts its clients' traffic to other servers' pools (ADR 0056), or null
 */
public record ServerPlan(
        ServerSettings settings,
        InetSocketAddress bind,
        String devName,
        DeviceSetup deviceSetup,
        Admission admission,
        boolean clientToClient,
        Inet4Address subnetBroadcast,
        int maxClients,
        boolean duplicateCn,
        ConnectScripts scripts,
        List<Socket> sockets,
        boolean multihome,
        boolean sameInterface,
        Listen.PortShare portShare,
        ServerClients.Rate connectFreq,
        ServerClients.Rate connectFreqInitial,
        Gateway gateway,
        PairPolicy pairPolicy,
        List<NatRoute> natRoutes,
        Inet4Address tunnelAddress,
        WebSocketListen webSocket,
        RemoteFlows remoteFlows) {

    public ServerPlan {
        pairPolicy = pairPolicy == null ? PairPolicy.OPEN : pairPolicy;
        natRoutes = natRoutes == null ? List.of() : List.copyOf(natRoutes);
        sockets = sockets == null || sockets.isEmpty() ? List.of(new Socket(bind, settings.tcp())) : List.copyOf(sockets);
    }

    /**
     * This plan with {@code extra} checked at the TLS verify as well as the config's revocation source (a fleet's
     * revoked serials; ADR 0055).
     */
    public ServerPlan withRevocation(Revocation extra) {
        return toBuilder().settings(settings.withTls(settings.tls().withRevocation(extra))).build();
    }

    /** This plan with another admission policy (one that wraps {@link #admission()}, as a fleet's does). */
    public ServerPlan withAdmission(Admission other) {
        return toBuilder().admission(other).build();
    }

    /** This plan counting its clients' traffic to other fleet servers' pools in {@code flows} (ADR 0056). */
    public ServerPlan withRemoteFlows(RemoteFlows flows) {
        return toBuilder().remoteFlows(flows).build();
    }

    /**
     * A builder for a plan of {@code settings} listening on {@code bind} and admitting clients by {@code admission};
     * everything else starts at what stock OpenVPN does when its option is absent.
     */
    public static Builder builder(ServerSettings settings, InetSocketAddress bind, Admission admission) {
        return new Builder(settings, bind, admission);
    }

    /** A builder holding this plan. */
    public Builder toBuilder() {
        return new Builder(settings, bind, admission).devName(devName).deviceSetup(deviceSetup)
                .clientToClient(clientToClient).subnetBroadcast(subnetBroadcast).maxClients(maxClients)
                .duplicateCn(duplicateCn).scripts(scripts).sockets(sockets).multihome(multihome)
                .sameInterface(sameInterface).portShare(portShare).connectFreq(connectFreq)
                .connectFreqInitial(connectFreqInitial).gateway(gateway).pairPolicy(pairPolicy).natRoutes(natRoutes)
                .tunnelAddress(tunnelAddress).webSocket(webSocket).remoteFlows(remoteFlows);
    }

    /**
     * One listening socket: {@code bind}, whether it is TCP, and the device it is bound to ({@code bind-dev}, or null).
     */
    public record Socket(InetSocketAddress bind, boolean tcp, String bindDev) {
        /** Bound to no device. */
        public Socket(InetSocketAddress bind, boolean tcp) {
            this(bind, tcp, null);
        }

        @Override
        public String toString() {
            return bind + "/" + (tcp ? "tcp" : "udp");
        }
    }

    /** Builds a {@link ServerPlan} by name; see the record's components for each field. */
    public static final class Builder {
        private ServerSettings settings;
        private InetSocketAddress bind;
        private Admission admission;
        private String devName = "tun";
        private DeviceSetup deviceSetup = (device, net) -> { }; // nothing to configure
        private boolean clientToClient;
        private Inet4Address subnetBroadcast;
        private int maxClients = ServerClients.DEFAULT_MAX_CLIENTS;
        private boolean duplicateCn;
        private ConnectScripts scripts; // no client-connect/client-disconnect
        private List<Socket> sockets; // null: one socket on bind, UDP or TCP as the settings say
        private boolean multihome;
        private boolean sameInterface;
        private Listen.PortShare portShare;
        private ServerClients.Rate connectFreq;
        private ServerClients.Rate connectFreqInitial; // null: the built-in limit
        private Gateway gateway;
        private PairPolicy pairPolicy = PairPolicy.OPEN;
        private List<NatRoute> natRoutes = List.of();
        private Inet4Address tunnelAddress; // null: no path-check probe
        private WebSocketListen webSocket;
        private RemoteFlows remoteFlows; // null: not in a fleet

        private Builder(ServerSettings settings, InetSocketAddress bind, Admission admission) {
            this.settings = settings;
            this.bind = bind;
            this.admission = admission;
        }

        public Builder settings(ServerSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder bind(InetSocketAddress bind) {
            this.bind = bind;
            return this;
        }

        public Builder admission(Admission admission) {
            this.admission = admission;
            return this;
        }

        public Builder devName(String devName) {
            this.devName = devName;
            return this;
        }

        public Builder deviceSetup(DeviceSetup deviceSetup) {
            this.deviceSetup = deviceSetup;
            return this;
        }

        public Builder clientToClient(boolean clientToClient) {
            this.clientToClient = clientToClient;
            return this;
        }

        public Builder subnetBroadcast(Inet4Address subnetBroadcast) {
            this.subnetBroadcast = subnetBroadcast;
            return this;
        }

        public Builder maxClients(int maxClients) {
            this.maxClients = maxClients;
            return this;
        }

        public Builder duplicateCn(boolean duplicateCn) {
            this.duplicateCn = duplicateCn;
            return this;
        }

        public Builder scripts(ConnectScripts scripts) {
            this.scripts = scripts;
            return this;
        }

        public Builder sockets(List<Socket> sockets) {
            this.sockets = sockets;
            return this;
        }

        public Builder multihome(boolean multihome) {
            this.multihome = multihome;
            return this;
        }

        public Builder sameInterface(boolean sameInterface) {
            this.sameInterface = sameInterface;
            return this;
        }

        public Builder portShare(Listen.PortShare portShare) {
            this.portShare = portShare;
            return this;
        }

        public Builder connectFreq(ServerClients.Rate connectFreq) {
            this.connectFreq = connectFreq;
            return this;
        }

        public Builder connectFreqInitial(ServerClients.Rate connectFreqInitial) {
            this.connectFreqInitial = connectFreqInitial;
            return this;
        }

        public Builder gateway(Gateway gateway) {
            this.gateway = gateway;
            return this;
        }

        public Builder pairPolicy(PairPolicy pairPolicy) {
            this.pairPolicy = pairPolicy;
            return this;
        }

        public Builder natRoutes(List<NatRoute> natRoutes) {
            this.natRoutes = natRoutes;
            return this;
        }

        public Builder tunnelAddress(Inet4Address tunnelAddress) {
            this.tunnelAddress = tunnelAddress;
            return this;
        }

        public Builder webSocket(WebSocketListen webSocket) {
            this.webSocket = webSocket;
            return this;
        }

        public Builder remoteFlows(RemoteFlows remoteFlows) {
            this.remoteFlows = remoteFlows;
            return this;
        }

        public ServerPlan build() {
            return new ServerPlan(settings, bind, devName, deviceSetup, admission, clientToClient, subnetBroadcast,
                    maxClients, duplicateCn, scripts, sockets, multihome, sameInterface, portShare, connectFreq,
                    connectFreqInitial, gateway, pairPolicy, natRoutes, tunnelAddress, webSocket, remoteFlows);
        }
    }

    /** Configures the server's device once it is open. */
    @FunctionalInterface
    public interface DeviceSetup {
        void apply(String device, NetConfig net) throws IOException;
    }
}
