package io.culvert.app.server;

import io.culvert.app.AppContext;
import io.culvert.app.shell.Feature;
import javafx.scene.Node;
import javafx.scene.control.Label;

/** Placeholder until the feature is built. */
public final class ServerManagerFeature implements Feature {
    private final Label view = new Label("The server manager comes here: servers, clients, certificates.");

    public ServerManagerFeature(AppContext context) {
    }

    @Override
    public String id() {
        return "servers";
    }

    @Override
    public String title() {
        return "Server manager";
    }

    @Override
    public Node view() {
        return view;
    }
}
