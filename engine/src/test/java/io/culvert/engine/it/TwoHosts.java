package io.culvert.engine.it;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Topology} with one client: a server namespace and a client namespace joined by a veth on 10.201.1.0/24,
 * with a fresh test PKI and the server and client configs of one {@link Scenario} written to {@code dir}: the set-up
 * every pairing test and benchmark starts from. {@link #close()} deletes both namespaces (and whatever was tracked on
 * the topology). Not thread-safe.
 */
public final class TwoHosts implements AutoCloseable {

    private final Topology topology;
    private final Path serverConf;
    private final Path clientConf;

    private TwoHosts(Topology topology, Path serverConf, Path clientConf) {
        this.topology = topology;
        this.serverConf = serverConf;
        this.clientConf = clientConf;
    }

    /** Namespaces named after {@code label} ({@code <label>srv}, {@code <label>cli}); configs for {@code port}. */
    public static TwoHosts create(String label, Scenario scenario, Path dir, int port) {
        return create(label, scenario, dir, port, "", "");
    }

    /** As {@link #create(String, Scenario, Path, int)}, {@code serverExtra} and {@code clientExtra} appended to the configs. */
    public static TwoHosts create(String label, Scenario scenario, Path dir, int port, String serverExtra,
            String clientExtra) {
        Topology topology = Topology.create(dir, label + "srv", List.of(label + "cli"));
        try {
            String addr = topology.link(1).addrA();
            Path serverConf = topology.write("server.conf", scenario.serverConfig(topology.pki(), addr, port) + serverExtra);
            Path clientConf = topology.write("client.ovpn", scenario.clientConfig(topology.pki(), addr, port, true)
                    + clientExtra);
            return new TwoHosts(topology, serverConf, clientConf);
        } catch (RuntimeException | Error e) {
            topology.close();
            throw e;
        }
    }

    /** The topology under the pair of hosts. */
    public Topology topology() {
        return topology;
    }

    /** The server's namespace, the veth's A end. */
    public Netns srv() {
        return topology.serverNs();
    }

    /** The client's namespace, the veth's B end. */
    public Netns cli() {
        return topology.clientNs(1);
    }

    /** The veth between them. */
    public VethLink link() {
        return topology.link(1);
    }

    /** The scenario's server config, listening on the A end. */
    public Path serverConf() {
        return serverConf;
    }

    /** The scenario's client profile, dialling the A end. */
    public Path clientConf() {
        return clientConf;
    }

    @Override
    public void close() {
        topology.close();
    }
}
