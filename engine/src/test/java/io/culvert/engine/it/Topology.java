package io.culvert.engine.it;

import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one interop topology, under every interop rig ({@link InteropRig}, {@link MultiClientRig}, {@link TwoHosts}):
 * a server namespace and N client namespaces, client {@code i} (1-based) joined to the server by its own veth and /24
 * (server side 10.201.i.1, client side 10.201.i.2), a fresh {@link TestPki} in {@code dir/pki}, the files a rig
 * writes to {@code dir}, and every process started in it. {@link #close()} closes what it tracks newest first
 * (processes, then namespaces, which takes the veths with them); {@link #create} closes what it made if it fails
 * half-way. Not thread-safe.
 */
public final class Topology implements AutoCloseable {

    private final Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Netns> clientNs = new ArrayList<>();
    private final List<VethLink> links = new ArrayList<>();
    private Netns serverNs;
    private TestPki pki;

    private Topology(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates the server namespace (labelled {@code serverLabel}), one client namespace per label in
     * {@code clientLabels}, their links and the PKI in {@code dir/pki}.
     */
    public static Topology create(Path dir, String serverLabel, List<String> clientLabels) {
        Topology t = new Topology(dir);
        try {
            t.serverNs = t.track(Netns.create(serverLabel));
            for (int i = 1; i <= clientLabels.size(); i++) {
                Netns ns = t.track(Netns.create(clientLabels.get(i - 1)));
                t.clientNs.add(ns);
                t.links.add(Netns.link(t.serverNs, "10.201." + i + ".1/24", ns, "10.201." + i + ".2/24"));
            }
            t.pki = TestPki.create(dir.resolve("pki"));
            return t;
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    /** Closes {@code resource} with the topology, before everything tracked earlier. */
    public <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Writes {@code text} to {@code dir/name}; returns the path. */
    public Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts stock openvpn ({@link OpenvpnProcess#stock(Netns, Path, Path)}) in {@code ns}; tracked. */
    public OpenvpnProcess startStock(Netns ns, Path config) {
        return track(OpenvpnProcess.stock(ns, config, dir));
    }

    /** Starts the stock openvpn {@code binary} on {@code config} in {@code ns}, output to {@code dir/logName}; tracked. */
    public OpenvpnProcess startStock(Netns ns, Path binary, Path config, String logName) {
        return track(OpenvpnProcess.stock(ns, binary, config, dir, dir.resolve(logName)));
    }

    /** Starts {@code <repo>/culvert mode --config config} in {@code ns}, output to {@code dir/logName}; tracked. */
    public OpenvpnProcess startCulvert(Netns ns, String mode, Path config, String logName) {
        return track(OpenvpnProcess.culvert(ns, OpenvpnProcess.repoRoot().resolve("culvert"), mode, config, dir,
                dir.resolve(logName)));
    }

    public Path dir() {
        return dir;
    }

    public Netns serverNs() {
        return serverNs;
    }

    /** Client {@code i}'s namespace, 1-based. */
    public Netns clientNs(int i) {
        return clientNs.get(i - 1);
    }

    /** Every client namespace, in order. */
    public List<Netns> clientNamespaces() {
        return List.copyOf(clientNs);
    }

    /** The veth joining client {@code i} (side B) to the server (side A), 1-based. */
    public VethLink link(int i) {
        return links.get(i - 1);
    }

    public TestPki pki() {
        return pki;
    }

    /** Names of the namespaces created so far, server first. */
    public List<String> namespaceNames() {
        List<String> names = new ArrayList<>();
        if (serverNs != null) {
            names.add(serverNs.name());
        }
        clientNs.forEach(ns -> names.add(ns.name()));
        return names;
    }

    /** Closes everything tracked, newest first; a failure is reported and the rest still closed. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup of " + resources.get(i) + " failed: " + e);
            }
        }
        resources.clear();
    }
}
