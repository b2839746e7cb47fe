package io.culvert.app.topology;

import io.culvert.engine.api.FlowEdge;
import javafx.scene.paint.Color;

/** The topology view's colours: one per kind of flow, shared by the graph, the matrix and the legend. Immutable. */
final class Palette {
    static final Color BACKGROUND_CENTER = Color.web("#16213a");
    static final Color BACKGROUND_EDGE = Color.web("#0a0f1c");
    static final Color RING = Color.web("#94a3b8", 0.08);
    static final Color SPOKE = Color.web("#64748b", 0.28);
    static final Color UNICAST = Color.web("#38bdf8");
    static final Color CLIENT_TO_CLIENT = Color.web("#c084fc");
    static final Color BROADCAST = Color.web("#fbbf24");
    static final Color STORM = Color.web("#fb3b5e");
    /** A pair the server's client-to-client policy keeps apart: its cell in the matrix is marked in this colour. */
    static final Color DENIED = Color.web("#ef4444");
    static final Color HUB = Color.web("#2dd4bf");
    static final Color NODE_FILL = Color.web("#1e293b");
    static final Color NODE_STROKE = Color.web("#cbd5e1");
    static final Color TEXT = Color.web("#f1f5f9");
    static final Color TEXT_DIM = Color.web("#94a3b8");
    static final Color TEXT_MONO = Color.web("#7dd3fc");

    private Palette() {}

    static Color of(FlowEdge.Kind kind) {
        return switch (kind) {
            case UNICAST_VIA_SERVER -> UNICAST;
            case CLIENT_TO_CLIENT -> CLIENT_TO_CLIENT;
            case BROADCAST -> BROADCAST;
            case DENIED -> DENIED;
        };
    }

    /** Stroke width in pixels for a rate: logarithmic, 1.2 px for a trickle to 11 px for gigabits. */
    static double width(double bytesPerSecond) {
        return Math.min(11, 1.2 + 1.5 * Math.log10(1 + bytesPerSecond / 400));
    }
}
