package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import io.culvert.app.AppContext;
import io.culvert.app.common.FxWait;
import io.culvert.app.common.Theme;
import io.culvert.app.shell.MainWindow;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import javafx.event.Event;
import javafx.event.EventType;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.AreaChart;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The client face against the real engine (a Culvert server on loopback, in-memory devices): another profile selected
 * shows its own empty status, not the previous profile's totals and graph; profile files dragged over the face light
 * it up until they leave or are dropped (issue 12).
 */
@ExtendWith(ApplicationExtension.class)
class ProfileSwitchAndDropTest {
    private static final String DASH = "\u2014";
    private Path dir;
    private AppContext ctx;
    private LoopbackServer server;
    private ClientFeature feature;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("culvert-profile-switch");
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        ctx = new AppContext(engine, dir, Executors.newVirtualThreadPerTaskExecutor(),
                LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.system()));
        server = LoopbackServer.start(engine, dir.resolve("server"));
        Theme.LIGHT.apply();
        feature = new ClientFeature(ctx);
        stage.setScene(new Scene(new MainWindow(List.of(feature), null).root(), 1100, 760));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        feature.shutdown();
        server.close();
        ctx.background().shutdownNow();
        ctx.profiles().close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws TimeoutException {
        FxWait.until(what, 30, condition);
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private void importAndClose(FxRobot robot, Path file) throws TimeoutException {
        robot.interact(() -> feature.importFiles(List.of(file)));
        closeReport(robot);
    }

    private static void closeReport(FxRobot robot) throws TimeoutException {
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static int points(FxRobot robot) {
        AreaChart<?, ?> chart = robot.lookup("#traffic-chart").queryAs(AreaChart.class);
        return chart.getData().stream().mapToInt(s -> s.getData().size()).sum();
    }

    private static void select(FxRobot robot, String profile) {
        Node cell = robot.from(robot.lookup("#profiles").queryAs(Node.class)).lookup(".profile-cell-name")
                .match((Label l) -> profile.equals(l.getText())).query();
        robot.clickOn(cell);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void anotherProfileShowsNoTotalsAndAnEmptyGraph(FxRobot robot) throws Exception {
        importAndClose(robot, server.writeProfile("home.ovpn", "udp", ""));
        importAndClose(robot, server.writeProfile("office.ovpn", "udp", ""));
        assertEquals("office", text(robot, "#profile-name"));

        robot.clickOn("#connect");
        await("Connected", () -> "Connected".equals(text(robot, "#state")));
        // the engine's counters come once a second; two readings give the graph its first point
        await("office's totals", () -> !DASH.equals(text(robot, "#status-received")));
        await("office's graph", () -> points(robot) > 0);
        assertNotEquals(DASH, text(robot, "#status-address"));

        select(robot, "home");
        assertEquals("home", text(robot, "#profile-name"));
        for (String id : List.of("#status-received", "#status-sent", "#status-rate", "#status-address", "#status-duration")) {
            assertEquals(DASH, text(robot, id), id + " of home, which never connected");
        }
        assertEquals(0, points(robot), "home's graph is empty");

        select(robot, "office");
        assertNotEquals(DASH, text(robot, "#status-received"), "office's totals are back");
        assertTrue(points(robot) > 0, "office's graph is back");

        robot.clickOn("#connect");
        await("Not connected", () -> "Not connected".equals(text(robot, "#state")));
        select(robot, "home");
        assertEquals(DASH, text(robot, "#status-received"), "the last session's totals stay with office");
        assertEquals(0, points(robot));
    }

    /** A drag board holding {@code files}, as a file manager's drag hands it over. */
    private static Dragboard files(List<File> files) {
        TKClipboard peer = (TKClipboard) Proxy.newProxyInstance(TKClipboard.class.getClassLoader(), new Class<?>[] {TKClipboard.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getContentTypes" -> Set.of(DataFormat.FILES);
                    case "hasContent" -> DataFormat.FILES.equals(args[0]);
                    case "getContent" -> DataFormat.FILES.equals(args[0]) ? files : null;
                    case "getTransferModes" -> Set.of(TransferMode.COPY);
                    case "putContent" -> false;
                    case "getDragViewOffsetX", "getDragViewOffsetY" -> 0.0;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "files " + files;
                    default -> null;
                });
        try {
            return WaitForAsyncUtils.asyncFx(() -> DragboardHelper.createDragboard(peer)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drag(FxRobot robot, Node target, EventType<DragEvent> type, Dragboard board) {
        robot.interact(() -> Event.fireEvent(target, new DragEvent(type, board, 300, 300, 300, 300, TransferMode.COPY, null, target,
                null)));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Paint firstFill(Region r) {
        return r.getBackground() == null || r.getBackground().getFills().isEmpty() ? Color.TRANSPARENT
                : r.getBackground().getFills().getFirst().getFill();
    }

    @Test
    void profileFilesDraggedOverTheFaceHighlightItUntilTheyLeaveOrAreDropped(FxRobot robot) throws Exception {
        Region face = robot.lookup("#client-root").queryAs(Region.class);
        Paint plain = firstFill(face);
        Dragboard board = files(List.of(server.writeProfile("office.ovpn", "udp", "").toFile()));

        drag(robot, face, DragEvent.DRAG_ENTERED, board);
        assertTrue(face.getStyleClass().contains(ClientView.DROP_TARGET));
        Paint lit = firstFill(face);
        assertNotEquals(plain, lit, "the face looks different while files are over it");
        assertTrue(lit instanceof Color c && c.getOpacity() == 1, "an opaque accent frame: " + lit);

        drag(robot, face, DragEvent.DRAG_EXITED, board);
        assertFalse(face.getStyleClass().contains(ClientView.DROP_TARGET));
        assertEquals(plain, firstFill(face), "back to plain when the files leave");

        drag(robot, face, DragEvent.DRAG_ENTERED, board);
        assertEquals(lit, firstFill(face));
        drag(robot, face, DragEvent.DRAG_DROPPED, board);
        assertFalse(face.getStyleClass().contains(ClientView.DROP_TARGET));
        assertEquals(plain, firstFill(face), "back to plain once dropped");
        closeReport(robot);
        await("the dropped profile is imported", () -> "office".equals(text(robot, "#profile-name")));
    }
}
