package io.culvert.app;

import io.culvert.app.server.ServerManagerViewModel;
import io.culvert.app.topology.TopologyFeature;
import io.culvert.app.topology.TopologySource;
import io.culvert.engine.api.ServerAdmin;
import io.culvert.engine.api.ServerSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.collections.ListChangeListener;

/**
 * Keeps the topology view's sources in step with the server manager's list: a server created, restored or renamed
 * appears at once, a deleted one goes. When a server starts (or is found running) while the topology shows nothing
 * live, the topology pre-selects it. FX thread only.
 */
final class ManagedServerSources {
    private final ServerAdmin admin;
    private final TopologyFeature topology;
    private final Map<String, TopologySource> byName = new HashMap<>();

    private ManagedServerSources(ServerAdmin admin, TopologyFeature topology) {
        this.admin = admin;
        this.topology = topology;
    }

    /** Follows {@code servers}' list and run state from now on, and loads the list. */
    static void follow(ServerAdmin admin, ServerManagerViewModel servers, TopologyFeature topology) {
        ManagedServerSources link = new ManagedServerSources(admin, topology);
        servers.servers().addListener((ListChangeListener<ServerSpec>) c -> link.sync(servers));
        servers.runningProperty().addListener((o, was, now) -> {
            ServerSpec s = servers.selectedProperty().get();
            if (now && s != null) {
                link.preselect(s.name());
            }
        });
        servers.refresh();
    }

    private void sync(ServerManagerViewModel servers) {
        Set<String> names = servers.servers().stream().map(ServerSpec::name).collect(Collectors.toSet());
        for (var it = byName.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!names.contains(e.getKey())) {
                if (topology.viewModel().sourceProperty().get() == e.getValue()) {
                    topology.viewModel().sourceProperty().set(null);
                }
                topology.sources().remove(e.getValue());
                it.remove();
            }
        }
        for (ServerSpec s : servers.servers()) {
            byName.computeIfAbsent(s.name(), n -> {
                TopologySource src = new TopologySource(n, () -> admin.running(n).orElse(null));
                topology.sources().add(src);
                return src;
            });
        }
    }

    private void preselect(String name) {
        TopologySource src = byName.get(name);
        TopologySource current = topology.viewModel().sourceProperty().get();
        if (src != null && current != src && (current == null || current.server().get() == null)) {
            topology.show(src);
        }
    }
}
