package io.culvert.app.shell;

import javafx.scene.Node;

/** One face of the app, shown in the main window's content area. */
public interface Feature {
    /** Stable id, used for the navigation button ({@code #nav-<id>}) and remembered between runs. */
    String id();

    /** Label of the navigation button. */
    String title();

    /** The feature's root node; created once, on the FX thread. */
    Node view();

    /** Keyboard shortcuts for the feature's main actions, active in the whole window. */
    default java.util.Map<javafx.scene.input.KeyCombination, Runnable> shortcuts() {
        return java.util.Map.of();
    }

    /** Called when the app closes; stop timers, disconnect. */
    default void shutdown() {}
}
