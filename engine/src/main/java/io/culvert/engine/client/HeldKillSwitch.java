package io.culvert.engine.client;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.config.ProxyConfig;
import io.culvert.engine.net.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The kill switch a client runner holds, from its construction to its {@link #release}: the endpoints it lets out
 * ({@link #endpoints}), the tunnel device it lets through (re-engaged when that changes), and its part in
 * {@link KillSwitchRules#HELD_HERE}. The rules themselves are {@link KillSwitchRules}'. Session thread only.
 */
final class HeldKillSwitch {
    private final KillSwitchRules rules;
    private final List<KillSwitchRules.Endpoint> servers;
    private final boolean allowLan;
    private final RunnerStatus status;
    private String device;

    /** Puts the switch in place without a device yet, and holds it. */
    HeldKillSwitch(KillSwitchRules rules, List<KillSwitchRules.Endpoint> servers, boolean allowLan, RunnerStatus status)
            throws IOException {
        this.rules = rules;
        this.servers = servers;
        this.allowLan = allowLan;
        this.status = status;
        apply(null);
        KillSwitchRules.HELD_HERE.incrementAndGet();
    }

    /** Where the kill switch lets the client go outside the tunnel: every remote's addresses, or its proxy's. */
    static List<KillSwitchRules.Endpoint> endpoints(ClientProfile profile, RunnerStatus status) {
        List<KillSwitchRules.Endpoint> out = new ArrayList<>();
        for (ClientProfile.Remote r : profile.remotes()) {
            String host = r.host();
            int port = r.port();
            boolean tcp = r.tcp();
            switch (r.proxy()) {
                case null -> { }
                case ProxyConfig.Http h -> {
                    host = h.host();
                    port = h.port();
                    tcp = true;
                }
                case ProxyConfig.Socks x -> {
                    host = x.host();
                    port = 0; // the SOCKS server relays UDP from a port it chooses
                }
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    out.add(new KillSwitchRules.Endpoint(a, port, tcp));
                }
            } catch (UnknownHostException e) {
                status.warn("kill switch: " + host + " does not resolve now, so the switch blocks it too");
            }
        }
        return out;
    }

    private void apply(String dev) throws IOException {
        rules.engage(dev, servers, allowLan, ProcessHandle.current().pid());
        device = dev;
    }

    /** Lets go: no longer held, and the rules are taken away. */
    void release() throws IOException {
        KillSwitchRules.HELD_HERE.decrementAndGet();
        rules.release();
    }

    /** Lets the tunnel's device {@code dev} through, if it is another than the one let through now. */
    void follow(String dev) {
        if (Objects.equals(dev, device)) {
            return;
        }
        try {
            apply(dev);
        } catch (IOException e) {
            status.log(EngineEvent.Level.ERROR, "kill switch: the tunnel's device " + dev + " could not be let through ("
                    + e.getMessage() + "); traffic stays blocked");
        }
    }

    String describe() {
        List<String> to = new ArrayList<>();
        for (KillSwitchRules.Endpoint e : servers) {
            to.add(Addresses.text(new InetSocketAddress(e.address(), e.port())) + (e.port() == 0 ? "" : e.tcp() ? "/tcp" : "/udp"));
        }
        return (to.isEmpty() ? "no server" : String.join(", ", to)) + (allowLan ? ", and the local networks" : "")
                + " may be reached";
    }
}
