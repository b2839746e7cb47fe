package io.culvert.engine.server;

import io.culvert.engine.tun.NetConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

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
        java.util.List<Socket> sockets,
        boolean multihome,
        boolean sameInterface,
        io.culvert.engine.config.Listen.PortShare portShare,
        io.culvert.engine.config.ServerClients.Rate connectFreq,
        io.culvert.engine.config.ServerClients.Rate connectFreqInitial,
        io.culvert.engine.config.Gateway gateway,
        io.culvert.engine.common.PairPolicy pairPolicy,
        java.util.List<io.culvert.engine.config.NatRoute> natRoutes,
        Inet4Address tunnelAddress,
        io.culvert.engine.config.WebSocketListen webSocket) {

    public ServerPlan {
        pairPolicy = pairPolicy == null ? io.culvert.engine.common.PairPolicy.OPEN : pairPolicy;
        natRoutes = natRoutes == null ? java.util.List.of() : java.util.List.copyOf(natRoutes);
        sockets = sockets == null || sockets.isEmpty() ? java.util.List.of(new Socket(bind, settings.tcp()))
                : java.util.List.copyOf(sockets);
    }

    /**
     * This plan with {@code extra} checked at the TLS verify as well as the config's revocation source (a fleet's
     * revoked serials; ADR 0055).
     */
    public ServerPlan withRevocation(io.culvert.engine.tls.Revocation extra) {
        return new ServerPlan(settings.withTls(settings.tls().withRevocation(extra)), bind, devName, deviceSetup,
                admission, clientToClient, subnetBroadcast, maxClients, duplicateCn, scripts, sockets, multihome,
                sameInterface, portShare, connectFreq, connectFreqInitial, gateway, pairPolicy, natRoutes, tunnelAddress,
                webSocket);
    }

    /** This plan with another admission policy (one that wraps {@link #admission()}, as a fleet's does). */
    public ServerPlan withAdmission(Admission other) {
        return new ServerPlan(settings, bind, devName, deviceSetup, other, clientToClient, subnetBroadcast, maxClients,
                duplicateCn, scripts, sockets, multihome, sameInterface, portShare, connectFreq, connectFreqInitial,
                gateway, pairPolicy, natRoutes, tunnelAddress, webSocket);
    }

    /** A plan without a known tunnel address (no path-check probe) and without a WebSocket endpoint. */
    public ServerPlan(ServerSettings settings, InetSocketAddress bind, String devName, DeviceSetup deviceSetup,
            Admission admission, boolean clientToClient, Inet4Address subnetBroadcast, int maxClients, boolean duplicateCn,
            ConnectScripts scripts, java.util.List<Socket> sockets, boolean multihome, boolean sameInterface,
            io.culvert.engine.config.Listen.PortShare portShare, io.culvert.engine.config.ServerClients.Rate connectFreq,
            io.culvert.engine.config.ServerClients.Rate connectFreqInitial, io.culvert.engine.config.Gateway gateway,
            io.culvert.engine.common.PairPolicy pairPolicy, java.util.List<io.culvert.engine.config.NatRoute> natRoutes) {
        this(settings, bind, devName, deviceSetup, admission, clientToClient, subnetBroadcast, maxClients, duplicateCn,
                scripts, sockets, multihome, sameInterface, portShare, connectFreq, connectFreqInitial, gateway,
                pairPolicy, natRoutes, null, null);
    }

    /** A plan without NAT routes, every client-to-client pair open. */
    public ServerPlan(ServerSettings settings, InetSocketAddress bind, String devName, DeviceSetup deviceSetup,
            Admission admission, boolean clientToClient, Inet4Address subnetBroadcast, int maxClients, boolean duplicateCn,
            ConnectScripts scripts, java.util.List<Socket> sockets, boolean multihome, boolean sameInterface,
            io.culvert.engine.config.Listen.PortShare portShare, io.culvert.engine.config.ServerClients.Rate connectFreq,
            io.culvert.engine.config.ServerClients.Rate connectFreqInitial, io.culvert.engine.config.Gateway gateway) {
        this(settings, bind, devName, deviceSetup, admission, clientToClient, subnetBroadcast, maxClients, duplicateCn,
                scripts, sockets, multihome, sameInterface, portShare, connectFreq, connectFreqInitial, gateway,
                null, java.util.List.of(), null, null);
    }

    /** A plan with one socket on {@code bind}, UDP or TCP as {@code settings} say, without {@code multihome}. */
    public ServerPlan(ServerSettings settings, InetSocketAddress bind, String devName, DeviceSetup deviceSetup,
            Admission admission, boolean clientToClient, Inet4Address subnetBroadcast, int maxClients, boolean duplicateCn,
            ConnectScripts scripts) {
        this(settings, bind, devName, deviceSetup, admission, clientToClient, subnetBroadcast, maxClients, duplicateCn,
                scripts, null, false, false, null, null, null, null, null, java.util.List.of(), null, null);
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

    /** A plan without client-connect/client-disconnect scripts. */
    public ServerPlan(ServerSettings settings, InetSocketAddress bind, String devName, DeviceSetup deviceSetup,
            Admission admission, boolean clientToClient, Inet4Address subnetBroadcast, int maxClients, boolean duplicateCn) {
        this(settings, bind, devName, deviceSetup, admission, clientToClient, subnetBroadcast, maxClients, duplicateCn, null);
    }

    /** Configures the server's device once it is open. */
    @FunctionalInterface
    public interface DeviceSetup {
        void apply(String device, NetConfig net) throws IOException;
    }
}
