package io.culvert.app.topology;

import io.culvert.app.common.Formats;
import io.culvert.app.common.Messages;
import java.util.function.IntConsumer;
import javafx.animation.AnimationTimer;
import javafx.scene.Cursor;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Pane;
import javafx.util.Duration;

/**
 * The live graph: two stacked canvases driven by an {@link AnimationTimer} while on screen, the base (flows, instances,
 * labels) redrawn only when a snapshot, the camera, hover or selection changes, and a transparent layer above it
 * with what moves (pulses, the hub, storms) redrawn every frame (ADR 0030); with zoom (wheel), pan (drag), hover
 * tooltips and click to select. It fits the graph to the window on its own until the user zooms or pans. FX thread
 * only.
 */
final class TopologyCanvas extends Pane {
    /** The base layer: what holds still between snapshots. */
    private final Canvas base = new Canvas();
    /** The moving layer above it, which also takes the mouse. */
    private final Canvas canvas = new Canvas();
    private final Camera camera = new Camera();
    private final TopologyRenderer renderer;
    private final TopologyViewModel vm;
    private final Messages messages;
    private final Tooltip tip = new Tooltip();
    private final AnimationTimer timer;
    private int hovered = TopologyRenderer.NOTHING;
    private double dragX;
    private double dragY;
    private boolean dragged;
    private long frames;
    private long frameNanos;

    TopologyCanvas(TopologyViewModel vm, Messages messages, IntConsumer onSelect) {
        this.vm = vm;
        this.messages = messages;
        this.renderer = new TopologyRenderer(messages);
        setId("topology-canvas");
        getChildren().addAll(base, canvas);
        base.setMouseTransparent(true);
        base.widthProperty().bind(widthProperty());
        base.heightProperty().bind(heightProperty());
        canvas.widthProperty().bind(widthProperty());
        canvas.heightProperty().bind(heightProperty());
        setMinSize(300, 300);
        tip.setShowDelay(Duration.ZERO);
        canvas.setOnScroll(e -> {
            camera.zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
            e.consume();
        });
        canvas.setOnMousePressed(e -> {
            dragX = e.getX();
            dragY = e.getY();
            dragged = false;
        });
        canvas.setOnMouseDragged(e -> {
            if (Math.hypot(e.getX() - dragX, e.getY() - dragY) > 3 || dragged) {
                camera.pan(e.getX() - dragX, e.getY() - dragY);
                dragX = e.getX();
                dragY = e.getY();
                dragged = true;
                canvas.setCursor(Cursor.CLOSED_HAND);
            }
        });
        canvas.setOnMouseReleased(e -> canvas.setCursor(Cursor.DEFAULT));
        canvas.setOnMouseClicked(e -> {
            if (dragged || e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            if (e.getClickCount() == 2) {
                fit();
                return;
            }
            int hit = TopologyRenderer.hit(vm.model(), camera, e.getX(), e.getY());
            onSelect.accept(hit >= 0 ? hit : TopologyViewModel.NONE);
        });
        canvas.setOnMouseMoved(e -> hover(e.getX(), e.getY(), e.getScreenX(), e.getScreenY()));
        canvas.setOnMouseExited(e -> {
            hovered = TopologyRenderer.NOTHING;
            tip.hide();
        });
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                frame(now);
            }
        };
        sceneProperty().addListener((obs, old, scene) -> {
            if (scene == null) {
                timer.stop();
            } else {
                timer.start();
            }
        });
    }

    /** Draws one frame; returns how long the drawing took in nanoseconds. */
    long frame(long now) {
        long start = System.nanoTime();
        TopologyModel model = vm.model();
        if (model.prune(now)) {
            renderer.invalidate();
        }
        if (!camera.userMoved()) {
            fit();
        }
        renderer.renderLayers(base.getGraphicsContext2D(), canvas.getGraphicsContext2D(), canvas.getWidth(), canvas.getHeight(),
                model, camera, now, hovered, vm.selectedProperty().get());
        PathHighlight path = vm.pathHighlightProperty().get();
        if (path != null) { // on the moving layer, which is cleared every frame
            path.draw(canvas.getGraphicsContext2D(), model, camera);
        }
        long took = System.nanoTime() - start;
        frames++;
        frameNanos += took;
        return took;
    }

    /** Frames every instance (and their labels) in the window. */
    void fit() {
        double minX = 0;
        double minY = 0;
        double maxX = 0;
        double maxY = 0;
        // Labels keep their size on screen whatever the zoom: the horizontal margin is the widest label beside its
        // node, so no name or address is cut at the canvas edge (issue 12).
        double label = 0;
        boolean labelled = vm.model().nodes().size() <= TopologyRenderer.LABEL_LIMIT;
        for (NodeState s : vm.model().nodes()) {
            if (labelled) {
                label = Math.max(label, renderer.labelWidth(s));
            }
            minX = Math.min(minX, s.x());
            minY = Math.min(minY, s.y());
            maxX = Math.max(maxX, s.x());
            maxY = Math.max(maxY, s.y());
        }
        if (maxX - minX < 1) {
            minX = minY = -SlotLayout.FIRST_RADIUS;
            maxX = maxY = SlotLayout.FIRST_RADIUS;
        }
        for (TopologyModel.Hub h : vm.model().hubs()) { // a fleet's hubs, also those without clients
            minX = Math.min(minX, h.x() - SlotLayout.FIRST_RADIUS);
            maxX = Math.max(maxX, h.x() + SlotLayout.FIRST_RADIUS);
        }
        double marginX = Math.max(80, label + TopologyRenderer.NODE_RADIUS * 1.5 + 9 + 12);
        camera.fit(minX, minY, maxX, maxY, canvas.getWidth(), canvas.getHeight(), marginX, 80, 1.4);
    }

    private void hover(double x, double y, double screenX, double screenY) {
        int hit = TopologyRenderer.hit(vm.model(), camera, x, y);
        hovered = hit;
        if (hit == TopologyRenderer.NOTHING) {
            tip.hide();
            canvas.setCursor(Cursor.DEFAULT);
            return;
        }
        canvas.setCursor(Cursor.HAND);
        tip.setText(hit == TopologyRenderer.HUB ? hubText(TopologyRenderer.hitHub(vm.model(), camera, x, y)) : nodeText(vm.model().node(hit)));
        tip.show(canvas, screenX + 16, screenY + 16);
    }

    private String hubText(TopologyModel.Hub hub) {
        TopologyModel m = vm.model();
        if (hub != null && hub.name() != null) { // a fleet's server
            return messages.get("tip.fleetHub", hub.name(), hub.caption(), Formats.rate(hub.bytesPerSecond()));
        }
        return messages.get("tip.hub", m.server(), m.presentCount(), Formats.rate(m.totalBytesPerSecond()));
    }

    private String nodeText(NodeState n) {
        if (n == null) {
            return "";
        }
        String text = messages.get("tip.node", n.info().commonName(), String.join(", ", n.info().virtualAddresses()),
                n.info().realAddress(), Formats.rate(n.upBytesPerSecond()), Formats.rate(n.downBytesPerSecond()));
        TopologyModel.Hub hub = vm.model().hubs().size() > n.hub() ? vm.model().hubs().get(n.hub()) : null;
        if (hub != null && hub.name() != null) {
            text += "\n" + messages.get("tip.server", hub.name());
        }
        if (n.broadcastPacketsPerSecond() > 0) {
            text += "\n" + messages.get("tip.broadcast", Formats.packets(n.broadcastPacketsPerSecond()));
        }
        return n.storming() ? text + "\n" + messages.get("tip.storm") : text;
    }

    Camera camera() {
        return camera;
    }

    /** Mean time of the frames drawn so far, in nanoseconds. */
    double meanFrameNanos() {
        return frames == 0 ? 0 : frameNanos / (double) frames;
    }

    void stop() {
        timer.stop();
    }
}
