package io.culvert.engine.server;

import io.culvert.engine.tun.NetConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * A server resolved from its config: what to listen on, the device and its addressing, and how clients are
 * admitted. Instances are immutable (the admission policy may keep its own state, e.g. a pool).
 *
 * @param bind address and port to listen on
 * @param devName requested device name ("tun", "tap", "tun0" …)
 * @param deviceSetup addresses and routes for the server's own device, given its kernel name
 * @param subnetBroadcast the tunnel subnet's broadcast address (TUN subnet topology), or null
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
        ConnectScripts scripts) {

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
