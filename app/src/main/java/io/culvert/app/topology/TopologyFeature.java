package io.culvert.app.topology;

import io.culvert.app.AppContext;
import io.culvert.app.common.Messages;
import io.culvert.app.shell.Feature;
import javafx.collections.ObservableList;
import javafx.scene.Node;

/**
 * The live topology view, the product's signature: a server as hub with its instances around it and the traffic
 * between them, a flow matrix, and the built-in demo. Other faces hand it servers through {@link #sources()}.
 */
public final class TopologyFeature implements Feature {
    /** How often the view asks the server for its counters. */
    public static final long POLL_MILLIS = 1000;
    private final Messages messages = Messages.of("topology");
    private final TopologyViewModel vm;
    private TopologyView view;

    public TopologyFeature(AppContext context) {
        this(context, POLL_MILLIS);
    }

    /** With another poll interval (tests). */
    public TopologyFeature(AppContext context, long pollMillis) {
        vm = new TopologyViewModel(context.demos(), context.background(), pollMillis);
    }

    @Override
    public String id() {
        return "topology";
    }

    @Override
    public String title() {
        return messages.get("title");
    }

    @Override
    public Node view() {
        if (view == null) {
            view = new TopologyView(vm, messages);
        }
        return view.root();
    }

    /** The servers to choose from; the server manager adds the servers it starts (FX thread). */
    public ObservableList<TopologySource> sources() {
        return vm.sources();
    }

    /** Shows a source (adding it to the list if needed). FX thread. */
    public void show(TopologySource source) {
        if (!vm.sources().contains(source)) {
            vm.sources().add(source);
        }
        vm.sourceProperty().set(source);
    }

    /** Starts the demo and shows it once its clients are connected. */
    public void startDemo() {
        vm.startDemo();
    }

    public TopologyViewModel viewModel() {
        return vm;
    }

    @Override
    public void shutdown() {
        if (view != null) {
            view.stop();
        }
        vm.shutdown();
    }
}
