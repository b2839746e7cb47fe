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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own admission (config, client-config-dir, pool) with each client's fleet settings: its routes pushed
 * after its own pushes, as a ccd {@code push "route ..."} would be ({@code route NET MASK} for IPv4,
 * {@code route-ipv6 NET/LEN} for IPv6), and its static address on this server given as a ccd {@code ifconfig-push}
 * would be (after the client-config-dir file, before a client-connect script's dynamic entry). An address the pool
 * cannot give (another client has it, or it is not a client address in this layout) is logged and the client gets
 * one from the pool. The settings come from memory, kept up to date by {@link FleetAgent}, so admitting a client
 * never waits for the database. Called on the server thread; the settings may change from any thread.
 */
final class FleetAdmission implements Admission {
    private static final Logger LOG = LoggerFactory.getLogger(FleetAdmission.class);

    /**
     * One client's fleet settings on this server.
     *
     * @param routes networks pushed as routes, CIDR text
     * @param address its static IPv4 address here, or null
     */
    record Settings(List<String> routes, String address) {
        static final Settings NONE = new Settings(List.of(), null);

        Settings {
            routes = List.copyOf(routes);
        }

        boolean isEmpty() {
            return routes.isEmpty() && address == null;
        }
    }

    private final Admission own;
    private final Map<String, Settings> settings = new ConcurrentHashMap<>();

    FleetAdmission(Admission own) {
        this.own = own;
    }

    /** Replaces every client's settings (a re-read of the whole fleet). */
    void replaceAll(Map<String, Settings> all) {
        settings.keySet().retainAll(all.keySet());
        settings.putAll(all);
    }

    /** Sets client {@code commonName}'s settings; true when they changed. */
    boolean set(String commonName, Settings next) {
        Settings before = next.isEmpty() ? settings.remove(commonName) : settings.put(commonName, next);
        return !next.equals(before == null ? Settings.NONE : before);
    }

    /** The clients that have fleet settings now. */
    java.util.Set<String> names() {
        return java.util.Set.copyOf(settings.keySet());
    }

    /** Client {@code commonName}'s fleet routes now (CIDR text). */
    List<String> routes(String commonName) {
        return settings.getOrDefault(commonName, Settings.NONE).routes();
    }

    @Override
    public Admitted admit(String commonName, int peerId) throws EngineException {
        CcdEntry fleet = staticEntry(commonName, true);
        return with(commonName, fleet == null ? own.admit(commonName, peerId) : own.admit(commonName, peerId, fleet));
    }

    @Override
    public Admitted admit(String commonName, int peerId, CcdEntry dynamic) throws EngineException {
        CcdEntry fleet = staticEntry(commonName, true);
        CcdEntry both = fleet == null ? dynamic : dynamic == null ? fleet : fleet.then(dynamic);
        return with(commonName, own.admit(commonName, peerId, both));
    }

    @Override
    public List<String> currentAddresses(String commonName) throws EngineException {
        CcdEntry fleet = staticEntry(commonName, false);
        if (fleet == null) {
            return own.currentAddresses(commonName);
        }
        List<String> out = new ArrayList<>(own.currentAddresses(commonName));
        out.removeIf(o -> o.startsWith("ifconfig "));
        out.add("ifconfig " + fleet.ifconfigPushLocal() + " " + fleet.ifconfigPushRemoteOrMask());
        return out;
    }

    /**
     * The ccd entry giving client {@code commonName} its fleet address here, or null without one (or one the pool
     * cannot give: logged). With {@code free}, also null when another connected client holds the address.
     */
    private CcdEntry staticEntry(String commonName, boolean free) {
        String address = settings.getOrDefault(commonName, Settings.NONE).address();
        if (address == null) {
            return null;
        }
        InetAddress a;
        try {
            a = Addresses.literal(address);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!(a instanceof java.net.Inet4Address v4)) {
            return null;
        }
        java.util.Optional<CcdEntry> entry = own.staticAddress(v4);
        if (entry.isEmpty()) {
            LOG.warn("fleet: {}'s address {} is not one this server's pool gives a client; it gets one from the pool",
                    commonName, address);
            return null;
        }
        if (free) {
            try {
                own.hold(v4).run(); // only a check: the admission reserves it for the client itself
            } catch (EngineException e) {
                LOG.warn("fleet: {}'s address {} is in use ({}); it gets one from the pool", commonName, address, e.getMessage());
                return null;
            }
        }
        return entry.get();
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
