package io.culvert.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class CulvertAppSmokeTest {

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path dataDir;

    private CulvertApp app;

    @Start
    void start(Stage stage) {
        app = new CulvertApp();
        app.start(stage, AppContext.create(dataDir));
    }

    @org.junit.jupiter.api.AfterEach
    void stop() throws Exception {
        org.testfx.util.WaitForAsyncUtils.asyncFx(app::stop).get();
    }

    @Test
    void windowShowsTheProductName(FxRobot robot) {
        assertEquals("Culvert", robot.lookup("#title").queryAs(Label.class).getText());
    }

    @Test
    void theFootSaysWhereTheEngineRuns(FxRobot robot) {
        // tests run as root (CI) or as a user without culvertd: the engine is in the app either way
        String expected = "root".equals(System.getProperty("user.name")) ? "Engine inside the app (running as root)"
                : "Engine inside the app: connecting needs root or the culvertd service";
        assertEquals(expected, robot.lookup("#engine-mode").queryAs(Label.class).getText());
    }

    @Test
    void darkThemeCanBeSwitchedOnAndOff(FxRobot robot) {
        javafx.scene.control.ComboBox<?> theme = robot.lookup("#theme").queryAs(javafx.scene.control.ComboBox.class);
        robot.clickOn(theme).clickOn("Dark");
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Dark", ((javafx.scene.control.ListCell<?>) theme.getButtonCell()).getText());
        assertEquals(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet(), javafx.application.Application.getUserAgentStylesheet());
        robot.clickOn(theme).clickOn("Light");
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Light", ((javafx.scene.control.ListCell<?>) theme.getButtonCell()).getText());
        assertEquals(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet(), javafx.application.Application.getUserAgentStylesheet());
    }
}
