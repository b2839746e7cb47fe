package io.culvert.engine.tun;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NetConfig} through the iproute2 {@code ip} command, optionally inside a named network namespace
 * ({@code ip -n NS ...}). Each successful add records the matching delete, so a change that failed (the route was
 * there before us) is never undone. A refusal is thrown as a {@link NetCommandException}. Thread-safe.
 */
public final class IpCommandNetConfig implements NetConfig {
    private static final Logger LOG = LoggerFactory.getLogger(IpCommandNetConfig.class);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PREFIX = Pattern.compile("/\\d{1,3}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.:@%+=][A-Za-z0-9_.:@%+=-]{0,14}");
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}");

    private final CommandRunner runner;
    private final List<String> ip;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<List<String>> undo = new ArrayDeque<>();

    /** Runs the real {@code ip} in the current network namespace. */
    public IpCommandNetConfig() {
        this(new ProcessCommandRunner(), null);
    }

    /** Runs {@code ip} through {@code runner}, inside {@code netnsOrNull} when it is not null. */
    public IpCommandNetConfig(CommandRunner runner, String netnsOrNull) {
        this.runner = runner;
        this.ip = netnsOrNull == null ? List.of("ip") : List.of("ip", "-n", check(netnsOrNull, NETNS.matcher(netnsOrNull).matches(), "namespace name"));
    }

    @Override
    public void setLinkUp(String dev, int mtu) throws IOException {
        List<String> args = new ArrayList<>(List.of("link", "set", "dev", device(dev)));
        if (mtu > 0) {
            args.addAll(List.of("mtu", Integer.toString(mtu)));
        }
        args.add("up");
        // Nothing to undo: the link disappears with its TUN device.
        run(args);
    }

    @Override
    public void limitSuperSegments(String dev, int segments) {
        if (segments <= 0) {
            throw new IllegalArgumentException("segments must be positive: " + segments);
        }
        try {
            // Nothing to undo: the setting disappears with its TUN device.
            run(List.of("link", "set", "dev", device(dev), "gso_max_segs", Integer.toString(segments)));
        } catch (IOException e) {
            LOG.warn("Could not limit super-segments on {} (bursts to the peer stay longer): {}", dev, e.getMessage());
        }
    }

    @Override
    public void addAddress(String dev, String cidr) throws IOException {
        apply(List.of("addr", "add", cidr4(cidr), "dev", device(dev)),
                List.of("addr", "del", cidr, "dev", dev));
    }

    @Override
    public void addPeerAddress(String dev, String local, String peer) throws IOException {
        apply(List.of("addr", "add", ipv4(local), "peer", ipv4(peer), "dev", device(dev)),
                List.of("addr", "del", local, "peer", peer, "dev", dev));
    }

    @Override
    public void addRoute(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException {
        addRoute(cidr, gatewayOrNull, devOrNull, metric, 0);
    }

    @Override
    public void addRoute(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        List<String> spec = route4(cidr, gatewayOrNull, devOrNull, metric, table);
        apply(concat(List.of("route", "add"), spec), concat(List.of("route", "del"), spec));
    }

    /** The checked arguments of an IPv4 route, for {@code ip route add} and {@code del} alike. */
    private static List<String> route4(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) {
        return withTable(routeSpec(cidr4(cidr), gatewayOrNull == null ? null : ipv4(gatewayOrNull), devOrNull, metric), table);
    }

    /** The checked arguments of an IPv6 route, for {@code ip -6 route add} and {@code del} alike. */
    private static List<String> route6(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) {
        return withTable(routeSpec(cidr6(cidr), gatewayOrNull == null ? null : ipv6(gatewayOrNull), devOrNull, metric), table);
    }

    /** {@code route-table}: {@code table N} after the route (0 = main, left out). */
    private static List<String> withTable(List<String> spec, int table) {
        return table == 0 ? spec : concat(spec, List.of("table", Integer.toString(table)));
    }

    @Override
    public void addAddress6(String dev, String cidr) throws IOException {
        apply(List.of("-6", "addr", "add", cidr6(cidr), "dev", device(dev)),
                List.of("-6", "addr", "del", cidr, "dev", dev));
    }

    @Override
    public void addRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException {
        addRoute6(cidr, gatewayOrNull, devOrNull, metric, 0);
    }

    @Override
    public void addRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        List<String> spec = route6(cidr, gatewayOrNull, devOrNull, metric, table);
        apply(concat(List.of("-6", "route", "add"), spec), concat(List.of("-6", "route", "del"), spec));
    }

    @Override
    public void removeRoute(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException {
        removeRoute(cidr, gatewayOrNull, devOrNull, metric, 0);
    }

    @Override
    public void removeRoute(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        List<String> spec = route4(cidr, gatewayOrNull, devOrNull, metric, table);
        remove(concat(List.of("route", "del"), spec));
    }

    @Override
    public void removeRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException {
        removeRoute6(cidr, gatewayOrNull, devOrNull, metric, 0);
    }

    @Override
    public void removeRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        List<String> spec = route6(cidr, gatewayOrNull, devOrNull, metric, table);
        remove(concat(List.of("-6", "route", "del"), spec));
    }

    @Override
    public void removeAddress(String dev, String cidr) throws IOException {
        remove(List.of("addr", "del", cidr, "dev", dev));
    }

    @Override
    public void removePeerAddress(String dev, String local, String peer) throws IOException {
        remove(List.of("addr", "del", local, "peer", peer, "dev", dev));
    }

    @Override
    public void removeAddress6(String dev, String cidr) throws IOException {
        remove(List.of("-6", "addr", "del", cidr, "dev", dev));
    }

    /** Runs a recorded undo step now and forgets it; one that was never recorded is refused (not ours to remove). */
    private void remove(List<String> args) throws IOException {
        lock.lock();
        try {
            if (!undo.contains(args)) {
                throw new IOException("not a change this tunnel made: " + String.join(" ", args));
            }
            run(args);
            undo.removeFirstOccurrence(args);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<NextHop> routeTo(String address) throws IOException {
        String target = IPV4.matcher(address).matches() ? address : ipv6(address);
        CommandRunner.Result result = runner.run(concat(ip, List.of("route", "get", target)));
        if (!result.succeeded()) {
            if (result.stderr().contains("unreachable")) {
                return Optional.empty();
            }
            throw failure(List.of("route", "get", target), result);
        }
        return result.stdout().lines().findFirst().flatMap(NextHop::parse);
    }

    @Override
    public Optional<NextHop> defaultGateway() throws IOException {
        String out = run(List.of("-4", "route", "show", "default"));
        return out.lines()
                .filter(line -> line.startsWith("default"))
                .min(Comparator.comparingLong(IpCommandNetConfig::metricOf))
                .flatMap(NextHop::parse);
    }

    @Override
    public void undoAll() {
        lock.lock();
        try {
            while (!undo.isEmpty()) {
                List<String> args = undo.pop();
                try {
                    run(args);
                } catch (IOException e) {
                    LOG.warn("Could not undo network change: {}", e.getMessage());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void apply(List<String> args, List<String> reverse) throws IOException {
        lock.lock();
        try {
            run(args);
            undo.push(reverse);
        } finally {
            lock.unlock();
        }
    }

    private String run(List<String> args) throws IOException {
        List<String> argv = concat(ip, args);
        LOG.info("Running {}", String.join(" ", argv));
        CommandRunner.Result result = runner.run(argv);
        if (!result.succeeded()) {
            throw failure(args, result);
        }
        return result.stdout();
    }

    private NetCommandException failure(List<String> args, CommandRunner.Result result) {
        return new NetCommandException(String.join(" ", concat(ip, args)), result.exitCode(), result.stderr().strip());
    }

    private static List<String> routeSpec(String cidr, String gateway, String dev, int metric) {
        if (gateway == null && dev == null) {
            throw new IllegalArgumentException("route " + cidr + " needs a gateway or a device");
        }
        List<String> spec = new ArrayList<>(List.of(cidr));
        if (gateway != null) {
            spec.addAll(List.of("via", gateway));
        }
        if (dev != null) {
            spec.addAll(List.of("dev", device(dev)));
        }
        if (metric >= 0) {
            spec.addAll(List.of("metric", Integer.toString(metric)));
        }
        return spec;
    }

    private static long metricOf(String routeLine) {
        String[] words = routeLine.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("metric")) {
                return Long.parseLong(words[i + 1]);
            }
        }
        return 0;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    // Values may come from a pushed server config: accept only literals, so none can pass as an ip option or keyword.
    private static String device(String name) {
        return check(name, DEVICE.matcher(name).matches(), "interface name");
    }

    private static String ipv4(String address) {
        return check(address, IPV4.matcher(address).matches(), "IPv4 address");
    }

    private static String ipv6(String address) {
        return check(address, IPV6.matcher(address).matches(), "IPv6 address");
    }

    private static String cidr4(String cidr) {
        int slash = cidr.indexOf('/');
        boolean ok = slash < 0 ? IPV4.matcher(cidr).matches()
                : IPV4.matcher(cidr.substring(0, slash)).matches() && PREFIX.matcher(cidr.substring(slash)).matches();
        return check(cidr, ok, "IPv4 prefix");
    }

    private static String cidr6(String cidr) {
        int slash = cidr.indexOf('/');
        boolean ok = slash < 0 ? IPV6.matcher(cidr).matches()
                : IPV6.matcher(cidr.substring(0, slash)).matches() && PREFIX.matcher(cidr.substring(slash)).matches();
        return check(cidr, ok, "IPv6 prefix");
    }

    private static String check(String value, boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("not a valid " + what + ": '" + value + "'");
        }
        return value;
    }
}
