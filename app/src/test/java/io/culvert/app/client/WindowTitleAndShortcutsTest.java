package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.FxWait;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole app's window: the connection's state in its title, and the keyboard shortcuts for the main actions —
 * Ctrl+Enter connects and disconnects, Ctrl+1/2/3 switch faces — with the shortcut shown in each control's tooltip.
 */
@ExtendWith(ApplicationExtension.class)
class WindowTitleAndShortcutsTest {
    private Path dir;
    private AppContext ctx;
    private LoopbackServer server;
    private CulvertApp app;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("culvert-window");
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        ctx = new AppContext(engine, dir, Executors.newVirtualThreadPerTaskExecutor(),
                LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.system()));
        server = LoopbackServer.start(engine, dir.resolve("server"));
        app = new CulvertApp();
        app.start(stage, ctx);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(app::stop).get();
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws TimeoutException {
        FxWait.until(what, 30, condition);
    }

    @Test
    void theTitleTellsTheStateAndTheKeyboardConnectsAndSwitchesFaces(FxRobot robot) throws Exception {
        assertEquals("Culvert", stage.getTitle());
        Path profile = server.writeProfile("office.ovpn", "udp", "");
        robot.interact(() -> app.feature(ClientFeature.class).importFiles(List.of(profile)));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals("Ctrl+Enter", robot.lookup("#connect").queryButton().getTooltip().getText());
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        await("connected, in the title", () -> "Culvert \u2014 Connected: office".equals(stage.getTitle()));

        assertEquals("Ctrl+2", robot.lookup("#nav-servers").queryAs(ToggleButton.class).getTooltip().getText());
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        await("topology face", () -> robot.lookup("#nav-topology").queryAs(ToggleButton.class).isSelected());
        assertTrue(robot.lookup("#nav-topology").queryAs(ToggleButton.class).getScene() == stage.getScene());
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        await("client face", () -> robot.lookup("#nav-client").queryAs(ToggleButton.class).isSelected());

        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        await("disconnected, title back", () -> "Culvert".equals(stage.getTitle()));
        await("server sees the client leave", () -> server.server.instances().isEmpty());
    }
}
