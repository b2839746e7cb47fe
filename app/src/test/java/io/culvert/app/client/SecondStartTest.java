package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.SingleInstance;
import io.culvert.app.common.FxWait;
import io.culvert.engine.api.ProfileSummary;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Starting Culvert while it runs hidden (in the tray) on another face: the second start hands its profile to the
 * running app over the single-instance socket and ends; the running app shows its window, switches to the client
 * face and imports the file.
 */
@ExtendWith(ApplicationExtension.class)
class SecondStartTest {
    private Path dir;
    private LoopbackServer server;
    private CulvertApp app;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("culvert-second-start");
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        AppContext ctx = new AppContext(engine, dir, Executors.newVirtualThreadPerTaskExecutor(),
                LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.system()));
        server = LoopbackServer.start(engine, dir.resolve("server"));
        CulvertApp.hold(SingleInstance.claim(dir.resolve("run"), null, new SingleInstance.Request(List.of()),
                Duration.ofSeconds(20)).orElseThrow());
        app = new CulvertApp();
        app.start(stage, ctx);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            stage.show();
            app.stop();
        }).get();
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aSecondStartWithAProfileShowsTheHiddenWindowAndImportsIt(FxRobot robot) throws Exception {
        Path profile = server.writeProfile("office.ovpn", "udp", "");
        robot.clickOn("#nav-servers");
        robot.interact(stage::hide);
        assertFalse(stage.isShowing());

        assertEquals(Optional.empty(), SingleInstance.claim(dir.resolve("run"), null,
                SingleInstance.Request.ofArgs(List.of(profile.toString())), Duration.ofSeconds(20)), "the second start ends");
        FxWait.until("window shown", 30, stage::isShowing);
        FxWait.until("import report", 30, () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(true, robot.lookup("#nav-client").queryAs(ToggleButton.class).isSelected(), "on the client face");
        @SuppressWarnings("unchecked")
        ListView<ProfileSummary> list = robot.lookup("#profiles").queryAs(ListView.class);
        FxWait.until("listed", 30, () -> list.getItems().size() == 1);
        assertEquals("office", robot.lookup("#profile-name").queryAs(Label.class).getText());
        assertEquals("Not connected", robot.lookup("#state").queryAs(Label.class).getText());
    }
}
