package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.PathCheck;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.local.LocalEngine;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The path check on the topology view against the real demo (a real server, six real clients over loopback sockets
 * with in-memory devices whose hosts answer pings; its pair policy denies dave ↔ frank), driven through the UI
 * (headless Monocle): a denied pair's answer names the pair policy in the panel and draws the hub's ring red, a
 * working pair says it works with the path MTU and draws the path, and clicking empty space clears the highlight;
 * a server that cannot check paths (one culvertd hosts) says so.
 */
@ExtendWith(ApplicationExtension.class)
class PathCheckViewTest {
    private TopologyFeature feature;
    private ExecutorService background;

    @Start
    void start(Stage stage) {
        background = Executors.newVirtualThreadPerTaskExecutor();
        AppContext ctx = new AppContext(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()), Path.of("target"), background);
        feature = new TopologyFeature(ctx, 250);
        stage.setScene(new Scene((Parent) feature.view(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        fx(() -> {
            feature.shutdown();
            return null;
        });
        background.shutdownNow();
    }

    @Test
    void aDeniedPairIsNamedInThePanelAndRedOnTheGraphAndAWorkingPairShowsItsPathMtu(FxRobot robot) throws Exception {
        robot.clickOn("#topology-demo");
        TopologyViewModel vm = feature.viewModel();
        await(30, () -> vm.model().presentCount() == 6, "six demo clients");
        robot.clickOn("#topology-path-open");
        await(5, () -> robot.lookup("#topology-path").query().isVisible(), "the path panel");
        assertTrue(fx(() -> combo(robot, "#topology-path-from").getItems().containsAll(List.of("alice", "bob", "dave", "frank"))));
        assertTrue(fx(() -> vm.probeProperty().get()), "the probe is on by default");

        choose(robot, "dave", "frank");
        robot.clickOn("#topology-path-check");
        await(60, () -> vm.pathCheckProperty().get() != null, "the answer for dave → frank");
        String summary = fx(() -> text(robot, "#topology-path-summary"));
        assertTrue(summary.startsWith("dave cannot reach frank: the pair policy denies dave -> frank"), summary);
        List<String> steps = fx(() -> robot.lookup(".topology-path-step").queryAllAs(Label.class).stream().map(Label::getText).toList());
        assertTrue(steps.stream().anyMatch(l -> l.startsWith("[FAULT] pair policy: the pair policy denies dave -> frank")), steps.toString());
        assertTrue(steps.stream().anyMatch(l -> l.startsWith("[ok] client-to-client: client-to-client is on")), steps.toString());
        PathHighlight denied = fx(() -> vm.pathHighlightProperty().get());
        assertEquals(PathCheck.Hop.SERVER, denied.fault(), "the fault is in the server's router");
        Color ring = fx(() -> colourAt(robot, hubX(robot) - PathHighlight.ringRadius(canvas(robot).camera()), hubY(robot)));
        assertEquals(PathHighlight.FAULT, ring, "the hub's ring is drawn red");

        choose(robot, "alice", "bob");
        robot.clickOn("#topology-path-check");
        await(60, () -> vm.pathCheckProperty().get() != null, "the answer for alice → bob");
        PathCheck works = fx(() -> vm.pathCheckProperty().get());
        assertTrue(works.works(), () -> String.join("\n", works.lines()));
        String worksSummary = fx(() -> text(robot, "#topology-path-summary"));
        assertEquals("alice can reach bob through the server; path MTU " + works.pathMtu() + " bytes", worksSummary);
        assertTrue(works.pathMtu() != null && works.pathMtu() > 1000, "measured: " + works.pathMtu());
        List<String> ok = fx(() -> robot.lookup(".topology-path-step").queryAllAs(Label.class).stream().map(Label::getText).toList());
        assertTrue(ok.stream().noneMatch(l -> l.startsWith("[FAULT]")), ok.toString());
        assertTrue(ok.stream().anyMatch(l -> l.startsWith("[ok] path MTU: ")), ok.toString());
        assertNull(fx(() -> vm.pathHighlightProperty().get().fault()));
        Color path = fx(() -> colourAt(robot, midX(robot, "alice"), midY(robot, "alice")));
        assertEquals(PathHighlight.PATH, path, "alice's hop is drawn as a working path");

        robot.clickOn(fx(() -> canvas(robot).localToScreen(8, 8)));
        await(5, () -> vm.pathHighlightProperty().get() == null, "clearing the selection clears the highlight");
        assertEquals("", fx(() -> text(robot, "#topology-path-summary")));
        robot.clickOn("#topology-demo");
        await(10, () -> feature.viewModel().demo() == null, "the demo stops");
    }

    @Test
    void aServerThatCannotCheckPathsSaysSoInThePanel(FxRobot robot) throws Exception {
        // A handle like culvertd's: it lists instances but keeps ServerHandle's refusing diagnose.
        ServerHandle hosted = new ServerHandle() {
            @Override
            public String listenAddress() {
                return "203.0.113.1:1194/udp";
            }

            @Override
            public List<InstanceInfo> instances() {
                return List.of(TopologyModelTest.instance(1, "alice", 0, 0), TopologyModelTest.instance(2, "bob", 0, 0));
            }

            @Override
            public List<FlowEdge> flows() {
                return List.of();
            }

            @Override
            public void kick(int peerId) {}

            @Override
            public void stop() {}

            @Override
            public boolean awaitStopped(long millis) {
                return true;
            }
        };
        fx(() -> {
            feature.show(new TopologySource("hosted", () -> hosted));
            return null;
        });
        TopologyViewModel vm = feature.viewModel();
        await(10, () -> vm.model().presentCount() == 2, "two instances");
        robot.clickOn("#topology-path-open");
        choose(robot, "alice", "bob");
        robot.clickOn("#topology-path-check");
        await(10, () -> !vm.pathBusyProperty().get() && !text(robot, "#topology-path-summary").startsWith("Checking"),
                "the answer");
        assertEquals("The path check is not available when the server runs under culvertd.",
                fx(() -> text(robot, "#topology-path-summary")));
        assertNull(fx(() -> vm.pathHighlightProperty().get()), "nothing drawn");
    }

    private void choose(FxRobot robot, String a, String b) throws Exception {
        fx(() -> {
            combo(robot, "#topology-path-from").setValue(a);
            combo(robot, "#topology-path-to").setValue(b);
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private static ComboBox<String> combo(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(ComboBox.class);
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private static TopologyCanvas canvas(FxRobot robot) {
        return robot.lookup("#topology-canvas").queryAs(TopologyCanvas.class);
    }

    private static double hubX(FxRobot robot) {
        return canvas(robot).camera().screenX(0);
    }

    private static double hubY(FxRobot robot) {
        return canvas(robot).camera().screenY(0);
    }

    /**
     * A point on the line between the hub and instance {@code cn}, three quarters of the way out (clear of the words
     * drawn above the hub and of the instance's disc), in the canvas's coordinates.
     */
    private double midX(FxRobot robot, String cn) {
        return hubX(robot) + 0.75 * (canvas(robot).camera().screenX(node(cn).x()) - hubX(robot));
    }

    private double midY(FxRobot robot, String cn) {
        return hubY(robot) + 0.75 * (canvas(robot).camera().screenY(node(cn).y()) - hubY(robot));
    }

    private NodeState node(String cn) {
        return feature.viewModel().model().nodes().stream().filter(n -> n.present() && n.info().commonName().equals(cn))
                .findFirst().orElseThrow();
    }

    /** The colour a user sees at a point of the graph (both layers), 8 bits a channel. */
    private static Color colourAt(FxRobot robot, double x, double y) {
        WritableImage image = canvas(robot).snapshot(null, null);
        Color c = image.getPixelReader().getColor((int) Math.round(x), (int) Math.round(y));
        return Color.rgb((int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255));
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private static void await(int seconds, Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!fx(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not reached within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
