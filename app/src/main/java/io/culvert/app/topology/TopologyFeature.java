package io.culvert.app.topology;

import io.culvert.app.AppContext;
import io.culvert.app.shell.Feature;
import javafx.scene.Node;
import javafx.scene.control.Label;

/** Placeholder until the feature is built. */
public final class TopologyFeature implements Feature {
    private final Label view = new Label("The live topology view comes here.");

    public TopologyFeature(AppContext context) {
    }

    @Override
    public String id() {
        return "topology";
    }

    @Override
    public String title() {
        return "Topology";
    }

    @Override
    public Node view() {
        return view;
    }
}
