package io.culvert.app.topology;

import javafx.geometry.Point2D;
import javafx.scene.Node;

/** For tests in other packages: where a world point of the topology is drawn on its canvas. */
public final class TopologyViewAccess {
    private TopologyViewAccess() {}

    /** The canvas-local point where world point ({@code x}, {@code y}) is drawn now. FX thread. */
    public static Point2D screen(Node topologyCanvas, double x, double y) {
        Camera cam = ((TopologyCanvas) topologyCanvas).camera();
        return new Point2D(cam.screenX(x), cam.screenY(y));
    }
}
