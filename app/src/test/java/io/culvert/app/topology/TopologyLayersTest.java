package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.FlowEdge.Kind;
import io.culvert.engine.api.InstanceInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The graph drawn as a cached base and a moving layer (ADR 0030) shows what a user must see: every instance stays on
 * screen while only the moving layer is redrawn, and a new snapshot (an instance leaving) reaches the picture.
 */
@ExtendWith(ApplicationExtension.class)
class TopologyLayersTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int INSTANCES = 100;
    private final Canvas base = new Canvas(1200, 900);
    private final Canvas moving = new Canvas(1200, 900);
    private final Pane pane = new Pane(base, moving);
    private final TopologyModel model = new TopologyModel();
    private final Camera camera = new Camera();
    private TopologyRenderer renderer;

    @Start
    void start(Stage stage) {
        renderer = new TopologyRenderer(Messages.of("topology"));
        stage.setScene(new Scene(pane, 1200, 900));
        stage.show();
    }

    @Test
    void instancesStayDrawnWhileOnlyTheMovingLayerIsRedrawnAndALeavingInstanceDisappears() throws Exception {
        long t0 = 10 * SECOND;
        fx(() -> {
            model.apply(snapshot(t0, -1, 1));
            model.apply(snapshot(t0 + SECOND, -1, 2));
            camera.fit(-1000, -1000, 1000, 1000, 1200, 900, 60, 1.4);
            for (int frame = 0; frame < 30; frame++) { // the base is drawn once, then kept
                renderer.renderLayers(base.getGraphicsContext2D(), moving.getGraphicsContext2D(), 1200, 900, model, camera,
                        t0 + 2 * SECOND + frame * 16_000_000L, TopologyRenderer.NOTHING, TopologyRenderer.NOTHING);
            }
            return null;
        });
        NodeState leaver = fx(() -> model.node(7));
        NodeState stayer = fx(() -> model.node(8));
        WritableImage before = fx(() -> pane.snapshot(null, null));
        assertEquals(Palette.NODE_FILL, colourAt(before, leaver), "instance 7's marker after 30 frames on a cached base");
        assertEquals(Palette.NODE_FILL, colourAt(before, stayer), "instance 8's marker after 30 frames on a cached base");

        long gone = t0 + 3 * SECOND + TopologyModel.LEAVE_NANOS + 1;
        fx(() -> {
            model.apply(snapshot(t0 + 3 * SECOND, 7, 3)); // instance 7 disconnects
            for (long now = t0 + 3 * SECOND; now <= gone; now += 16_000_000L) {
                if (model.prune(now)) {
                    renderer.invalidate();
                }
                renderer.renderLayers(base.getGraphicsContext2D(), moving.getGraphicsContext2D(), 1200, 900, model, camera,
                        now, TopologyRenderer.NOTHING, TopologyRenderer.NOTHING);
            }
            return null;
        });
        WritableImage after = fx(() -> pane.snapshot(null, null));
        assertEquals(null, fx(() -> model.node(7)), "instance 7 has left the model");
        assertNotEquals(Palette.NODE_FILL, colourAt(after, leaver), "instance 7's marker is gone from the picture");
        assertEquals(Palette.NODE_FILL, colourAt(after, stayer), "instance 8's marker is still drawn");
    }

    private Color colourAt(WritableImage image, NodeState n) throws Exception {
        int x = (int) Math.round(fx(() -> camera.screenX(n.x())));
        int y = (int) Math.round(fx(() -> camera.screenY(n.y())));
        Color c = image.getPixelReader().getColor(x, y);
        // 8 bits a channel: compare as the colour a user sees.
        return Color.rgb((int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255));
    }

    /** {@link #INSTANCES} instances with unicast both ways, counters at {@code step}; {@code absent} left (or -1). */
    private static TopologySnapshot snapshot(long nanos, int absent, int step) {
        List<InstanceInfo> infos = new ArrayList<>();
        List<FlowEdge> flows = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            if (i == absent) {
                continue;
            }
            long up = step * 1000L * (i + 1);
            long down = step * 3000L * (i + 1);
            infos.add(InstanceInfo.builder(i, "client-" + i).realAddress("198.51.100." + (i + 1) + ":40000")
                    .virtualAddresses(List.of("10.8.0." + (i + 2))).cipher("AES-256-GCM").connectedSince(Instant.EPOCH)
                    .bytes(up, down).build());
            flows.add(new FlowEdge(i, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, up / 500, up));
            flows.add(new FlowEdge(FlowEdge.SERVER, i, Kind.UNICAST_VIA_SERVER, down / 900, down));
        }
        return new TopologySnapshot(nanos, "203.0.113.1:1194/udp", infos, flows);
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }
}
