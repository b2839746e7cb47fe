package io.culvert.engine.server;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.api.EngineException;
import java.net.InetAddress;
import java.util.List;

/**
 * Decides what an authenticated client gets: its addresses (from client-config-dir or the pool) and the
 * options pushed to it. Called on the server thread.
 */
public interface Admission {

    /**
     * What one admitted client owns. {@link #release()} gives its pool address back when it leaves.
     *
     * @param pushes options to push, in order, before the per-session ones
     * @param addresses virtual addresses it owns (IPv4 and IPv6)
     * @param iroutes networks behind it, as "net/len"
     */
    record Admitted(List<String> pushes, List<InetAddress> addresses, List<String> iroutes, Runnable onRelease) {
        public Admitted {
            pushes = List.copyOf(pushes);
            addresses = List.copyOf(addresses);
            iroutes = List.copyOf(iroutes);
        }

        public void release() {
            onRelease.run();
        }
    }

    /** Admits a client or throws with the reason it is refused (sent as AUTH_FAILED). */
    Admitted admit(String commonName, int peerId) throws EngineException;

    /**
     * Admits a client whose client-connect script wrote {@code dynamic} (read after the client-config-dir
     * file); policies without client-config-dir semantics ignore it.
     */
    default Admitted admit(String commonName, int peerId, io.culvert.engine.config.CcdEntry dynamic) throws EngineException {
        return admit(commonName, peerId);
    }

    /**
     * The address options a client with {@code commonName} would be pushed now from its client-config-dir entry
     * ({@code ifconfig a b}, {@code ifconfig-ipv6 a/bits b}), for a PUSH_UPDATE that moves it after the entry
     * changed; empty when the entry gives no static address (the default).
     */
    default List<String> currentAddresses(String commonName) throws EngineException {
        return List.of();
    }

    /**
     * Keeps {@code address} from being handed to another client while a PUSH_UPDATE has moved a client onto it;
     * returns what gives it back when that client leaves. Refused when the address pool has it leased or kept for
     * someone else. Addresses outside any pool need nothing (the default).
     */
    default Runnable hold(InetAddress address) throws EngineException {
        return () -> { };
    }

    /**
     * The client-config-dir entry that gives a client the static IPv4 address {@code address} the way this server's
     * pool lays addresses out ({@code ifconfig-push ADDRESS PEER} in net30, {@code ifconfig-push ADDRESS NETMASK} in
     * subnet), for addresses set outside the config (a fleet's); empty when the pool would not give a client that
     * address (the default: no pool).
     */
    default java.util.Optional<io.culvert.engine.config.CcdEntry> staticAddress(java.net.Inet4Address address) {
        return java.util.Optional.empty();
    }

    /**
     * The options a client with {@code commonName} would be pushed now apart from its addresses (the config's
     * pushes and its client-config-dir entry's), for a PUSH_UPDATE after the entry changed; empty by default.
     */
    default List<String> currentPushes(String commonName) throws EngineException {
        return List.of();
    }
}
