package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.FlowEdge.Kind;
import io.culvert.engine.local.LocalEngine;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The topology view against the real demo: a real server and six real clients over loopback sockets with in-memory
 * devices, driven through the UI (headless Monocle).
 */
@ExtendWith(ApplicationExtension.class)
class TopologyViewTest {
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
    void demoInstancesAndEveryKindOfFlowShowUpAndKickRemovesAnInstance(FxRobot robot) throws Exception {
        robot.clickOn("#topology-demo");
        TopologyModel model = feature.viewModel().model();
        await(30, () -> model.presentCount() == 6);
        assertEquals(Set.of("alice", "bob", "carol", "dave", "erin", "frank"),
                fx(() -> model.nodes().stream().map(n -> n.info().commonName()).collect(Collectors.toSet())));
        assertTrue(fx(() -> robot.lookup("#topology-status").queryAs(Label.class).getText()).startsWith("6 connected"));

        int alice = fx(() -> peer(model, "alice"));
        int bob = fx(() -> peer(model, "bob"));
        await(15, () -> model.matrix().bytesPerSecond(alice, bob, Kind.CLIENT_TO_CLIENT) > 0,
                "matrix cell alice → bob client-to-client");
        await(15, () -> model.clientToClient().stream().anyMatch(e -> e.source() == alice && e.destination() == bob),
                "alice → bob drawn as a client-to-client path");
        await(15, () -> model.matrix().cells().stream().anyMatch(c -> c.kind() == Kind.BROADCAST), "a broadcast matrix cell");
        await(15, () -> model.fanOuts().stream().anyMatch(f -> f.receivers().size() == 5), "a broadcast fans out to the 5 others");
        await(15, () -> model.node(alice).upBytesPerSecond() > 0 && model.node(alice).downBytesPerSecond() > 0,
                "alice ↔ server unicast both ways");
        await(15, () -> model.matrix().bytesPerSecond(FlowEdge.SERVER, alice, Kind.UNICAST_VIA_SERVER) > 0, "server → alice cell");
        int dave = fx(() -> peer(model, "dave"));
        int frank = fx(() -> peer(model, "frank"));
        await(15, () -> model.matrix().deniedPackets(dave, frank) > 0, "dave → frank denied by the demo's pair policy");
        assertEquals(0.0, fx(() -> model.matrix().bytesPerSecond(dave, frank, Kind.CLIENT_TO_CLIENT)), "nothing gets through");

        int aliceSlot = fx(() -> model.node(alice).slot());
        robot.clickOn(fx(() -> screenPointOf(alice)));
        await(5, () -> feature.viewModel().selectedProperty().get() == alice);
        assertEquals("alice", fx(() -> robot.lookup("#topology-instance-name").queryAs(Label.class).getText()));
        assertTrue(fx(() -> robot.lookup("#topology-instance").query().isVisible()));

        robot.clickOn("#topology-kick");
        await(10, () -> model.node(alice) == null);
        assertEquals(TopologyViewModel.NONE, fx(() -> feature.viewModel().selectedProperty().get()), "the panel closes");
        // The demo client reconnects under a new peer-id, back in its old place.
        await(30, () -> model.presentCount() == 6 && model.nodes().stream().anyMatch(n -> n.present()
                && n.info().commonName().equals("alice") && n.peerId() != alice));
        assertEquals(aliceSlot, fx(() -> model.node(peer(model, "alice")).slot()));

        robot.clickOn("#topology-demo");
        await(10, () -> feature.sources().isEmpty() && feature.viewModel().demo() == null);
    }

    @Test
    void stormToggleHighlightsTheFloodingInstance(FxRobot robot) throws Exception {
        robot.clickOn("#topology-demo");
        TopologyModel model = feature.viewModel().model();
        await(30, () -> model.presentCount() == 6);
        robot.clickOn("#topology-storm");
        await(10, () -> model.storms().stream().anyMatch(n -> n.info().commonName().equals("frank")));
        assertEquals(1, fx(() -> model.storms().size()));
        robot.clickOn("#topology-storm");
        await(10, () -> model.storms().isEmpty());
    }

    private Point2D screenPointOf(int peer) {
        NodeState n = feature.viewModel().model().node(peer);
        TopologyCanvas canvas = (TopologyCanvas) feature.view().lookup("#topology-canvas");
        return canvas.localToScreen(canvas.camera().screenX(n.x()), canvas.camera().screenY(n.y()));
    }

    private static int peer(TopologyModel model, String cn) {
        return model.nodes().stream().filter(n -> n.present() && n.info().commonName().equals(cn)).findFirst().orElseThrow().peerId();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private static void await(int seconds, Callable<Boolean> condition) throws Exception {
        await(seconds, condition, "condition");
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
