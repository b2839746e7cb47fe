package io.culvert.app;

import io.culvert.app.common.Messages;
import io.culvert.app.server.FleetViewModel;
import io.culvert.app.topology.FleetSnapshots;
import io.culvert.app.topology.TopologyFeature;
import io.culvert.app.topology.TopologySource;
import io.culvert.engine.api.Fleet;
import io.culvert.engine.api.FleetView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.collections.ListChangeListener;

/**
 * Keeps the topology view's fleet sources in step with the server manager's fleet (issue 15): "Fleet · all servers"
 * (every server a hub) and one source per server, the view's server filter. A fleet opened shows at once in the list;
 * servers that register or leave come and go with the fleet's next reading. FX thread only.
 */
final class FleetSources {
    private final TopologyFeature topology;
    private final Messages messages = Messages.of("topology");
    private final Map<String, TopologySource> byName = new LinkedHashMap<>();
    private Fleet fleet;
    private TopologySource all;

    private FleetSources(TopologyFeature topology) {
        this.topology = topology;
    }

    /** Follows {@code fleet}'s open fleet and its servers from now on. */
    static void follow(FleetViewModel fleet, TopologyFeature topology) {
        FleetSources link = new FleetSources(topology);
        fleet.fleetProperty().addListener((o, was, now) -> link.opened(now));
        fleet.servers().addListener((ListChangeListener<FleetView.Server>) c -> link.sync(fleet));
    }

    private void opened(Fleet now) {
        removeAll();
        fleet = now;
        if (now != null) {
            all = FleetSnapshots.source(messages.get("source.fleet"), now, null);
            topology.sources().add(all);
        }
    }

    private void sync(FleetViewModel vm) {
        if (fleet == null) {
            return;
        }
        Set<String> names = vm.servers().stream().map(FleetView.Server::name).collect(Collectors.toSet());
        for (var it = byName.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!names.contains(e.getKey())) {
                remove(e.getValue());
                it.remove();
            }
        }
        for (FleetView.Server s : vm.servers()) {
            byName.computeIfAbsent(s.name(), n -> {
                TopologySource src = FleetSnapshots.source(messages.get("source.fleetServer", n), fleet, n);
                topology.sources().add(src);
                return src;
            });
        }
    }

    private void removeAll() {
        byName.values().forEach(this::remove);
        byName.clear();
        if (all != null) {
            remove(all);
            all = null;
        }
    }

    private void remove(TopologySource src) {
        if (topology.viewModel().sourceProperty().get() == src) {
            topology.viewModel().sourceProperty().set(null);
        }
        topology.sources().remove(src);
    }
}
