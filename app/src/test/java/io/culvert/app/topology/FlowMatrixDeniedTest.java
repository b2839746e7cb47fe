package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.FlowEdge.Kind;
import io.culvert.engine.api.InstanceInfo;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The flow matrix with a pair the server's client-to-client policy denies (alice ↔ bob, ADR 0037): the rendered
 * client-to-client heatmap marks alice → bob and bob → alice in the denied colour, and hovering the cell says how many
 * packets were dropped; alice → carol, which the policy allows, is an ordinary traffic cell (headless Monocle).
 */
@ExtendWith(ApplicationExtension.class)
class FlowMatrixDeniedTest {
    private static final int ALICE = 1;
    private static final int BOB = 2;
    private static final int CAROL = 3;
    private FlowMatrixView view;
    private TopologyModel model;

    @Start
    void start(Stage stage) {
        view = new FlowMatrixView(Messages.of("topology"));
        stage.setScene(new Scene(new StackPane(view), 420, 640));
        stage.show();
    }

    @Test
    void deniedCellsAreMarkedWithTheirCountsAndSayWhatWasDropped(FxRobot robot) throws Exception {
        List<InstanceInfo> three = List.of(TopologyModelTest.instance(ALICE, "alice", 0, 0),
                TopologyModelTest.instance(BOB, "bob", 0, 0), TopologyModelTest.instance(CAROL, "carol", 0, 0));
        fx(() -> {
            model = new TopologyModel();
            model.apply(TopologyModelTest.snap(0, three,
                    new FlowEdge(ALICE, CAROL, Kind.CLIENT_TO_CLIENT, 10, 840),
                    new FlowEdge(ALICE, BOB, Kind.DENIED, 3, 252)));
            model.apply(TopologyModelTest.snap(2, three,
                    new FlowEdge(ALICE, CAROL, Kind.CLIENT_TO_CLIENT, 30, 2520),
                    new FlowEdge(ALICE, BOB, Kind.DENIED, 73, 6132),
                    new FlowEdge(BOB, ALICE, Kind.DENIED, 3, 252)));
            view.show(model);
            return null;
        });
        assertEquals(73, fx(() -> model.matrix().deniedPackets(ALICE, BOB)), "a count, not a rate");
        assertEquals(0, fx(() -> model.matrix().bytesPerSecond(ALICE, BOB, Kind.CLIENT_TO_CLIENT)));

        Color denied = fx(() -> colourOfCell(ALICE, BOB));
        Color back = fx(() -> colourOfCell(BOB, ALICE));
        Color allowed = fx(() -> colourOfCell(ALICE, CAROL));
        Color empty = fx(() -> colourOfCell(CAROL, BOB));
        assertTrue(isDeniedRed(denied), "alice → bob is marked: " + denied);
        assertTrue(isDeniedRed(back), "bob → alice is marked: " + back);
        assertTrue(!isDeniedRed(allowed) && !isDeniedRed(empty), "allowed " + allowed + ", empty " + empty);

        robot.moveTo(fx(() -> screenPointOfCell(ALICE, BOB, 0.2)));
        WaitForAsyncUtils.waitForFxEvents();
        String tip = fx(() -> view.hoverText());
        assertEquals("alice \u2192 bob\nDenied by the client-to-client pair policy: 73 packets dropped", tip);
        robot.moveTo(fx(() -> screenPointOfCell(ALICE, CAROL, 0.5)));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> view.hoverText()).startsWith("alice \u2192 carol\nClient-to-client: "), fx(() -> view.hoverText()));
    }

    /** The colour drawn near a corner of a cell in the client-to-client heatmap (away from the count's digits). */
    private Color colourOfCell(int source, int destination) {
        Canvas canvas = canvas();
        WritableImage image = canvas.snapshot(null, null);
        double[] p = cellPoint(source, destination, 0.2);
        return image.getPixelReader().getColor((int) p[0], (int) p[1]);
    }

    private Point2D screenPointOfCell(int source, int destination, double at) {
        double[] p = cellPoint(source, destination, at);
        return canvas().localToScreen(p[0], p[1]);
    }

    /** A point inside the cell, {@code at} of the way across and down it. */
    private double[] cellPoint(int source, int destination, double at) {
        List<Integer> endpoints = model.matrix().endpoints();
        int row = endpoints.indexOf(source);
        int col = endpoints.indexOf(destination);
        double cell = view.cellSize();
        double left = view.left();
        double top = view.panelTop(Kind.CLIENT_TO_CLIENT);
        return new double[] {left + (col + at) * cell, top + (row + at) * cell};
    }

    private Canvas canvas() {
        return (Canvas) view.getChildren().getFirst();
    }

    private static boolean isDeniedRed(Color c) {
        return c.getRed() > 0.8 && c.getGreen() < 0.4 && c.getBlue() < 0.4;
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }
}
