package io.culvert.engine.fleet;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.config.CcdEntry;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.net.IpPrefix;
import io.culvert.engine.server.Admission;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's own admission (config, client-config-dir, pool) with each client's fleet routes pushed after its own
 * pushes, as a ccd {@code push "route ..."} would be: {@code route NET MASK} for IPv4, {@code route-ipv6 NET/LEN} for
 * IPv6. The routes come from memory, kept up to date by {@link FleetAgent}, so admitting a client never waits for the
 * database. Called on the server thread; the routes may change from any thread.
 */
final class FleetAdmission implements Admission {
    private final Admission own;
    private final Map<String, List<String>> routes = new ConcurrentHashMap<>();

    FleetAdmission(Admission own) {
        this.own = own;
    }

    /** Replaces every client's routes (a re-read of the whole fleet). */
    void replaceAll(Map<String, List<String>> all) {
        routes.keySet().retainAll(all.keySet());
        routes.putAll(all);
    }

    /** Sets client {@code commonName}'s routes; true when they changed. */
    boolean set(String commonName, List<String> networks) {
        List<String> before = networks.isEmpty() ? routes.remove(commonName) : routes.put(commonName, List.copyOf(networks));
        return !List.copyOf(networks).equals(before == null ? List.of() : before);
    }

    /** The clients that have fleet routes now. */
    java.util.Set<String> names() {
        return java.util.Set.copyOf(routes.keySet());
    }

    /** Client {@code commonName}'s fleet routes now (CIDR text). */
    List<String> routes(String commonName) {
        return routes.getOrDefault(commonName, List.of());
    }

    @Override
    public Admitted admit(String commonName, int peerId) throws EngineException {
        return with(commonName, own.admit(commonName, peerId));
    }

    @Override
    public Admitted admit(String commonName, int peerId, CcdEntry dynamic) throws EngineException {
        return with(commonName, own.admit(commonName, peerId, dynamic));
    }

    @Override
    public List<String> currentAddresses(String commonName) throws EngineException {
        return own.currentAddresses(commonName);
    }

    @Override
    public Runnable hold(InetAddress address) throws EngineException {
        return own.hold(address);
    }

    @Override
    public List<String> currentPushes(String commonName) throws EngineException {
        List<String> pushes = new ArrayList<>(own.currentPushes(commonName));
        pushes.addAll(pushes(commonName));
        return pushes;
    }

    private Admitted with(String commonName, Admitted a) {
        List<String> extra = pushes(commonName);
        if (extra.isEmpty()) {
            return a;
        }
        List<String> pushes = new ArrayList<>(a.pushes());
        pushes.addAll(extra);
        return new Admitted(pushes, a.addresses(), a.iroutes(), a::release);
    }

    /** The push options of client {@code commonName}'s fleet routes. */
    List<String> pushes(String commonName) {
        List<String> out = new ArrayList<>();
        for (String cidr : routes(commonName)) {
            out.add(push(cidr));
        }
        return out;
    }

    /** {@code route NET MASK} or {@code route-ipv6 NET/LEN} for a network in CIDR text. */
    static String push(String cidr) {
        IpPrefix p = IpPrefix.parse(cidr);
        if (p.isIpv4()) {
            return "route " + Addresses.text(p.network()) + " " + Addresses.ipv4Text(Addresses.prefixMask(p.length()));
        }
        return "route-ipv6 " + Addresses.text(p.network()) + "/" + p.length();
    }
}
