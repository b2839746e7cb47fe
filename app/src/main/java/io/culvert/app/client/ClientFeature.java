package io.culvert.app.client;

import io.culvert.app.AppContext;
import io.culvert.app.shell.Feature;
import javafx.scene.Node;
import javafx.scene.control.Label;

/** Placeholder until the feature is built. */
public final class ClientFeature implements Feature {
    private final Label view = new Label("The client face comes here: profiles, connect, status.");

    public ClientFeature(AppContext context) {
    }

    @Override
    public String id() {
        return "client";
    }

    @Override
    public String title() {
        return "Client";
    }

    @Override
    public Node view() {
        return view;
    }
}
