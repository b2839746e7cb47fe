package io.culvert.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.app.shell.MainWindow;
import io.culvert.engine.api.AppSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The theme follows the desktop's colour scheme from the XDG portal on a real session bus (dbus-daemon started by the
 * test, a portal on it), live, until the user picks one, which is remembered.
 */
@ExtendWith(ApplicationExtension.class)
class ThemePreferenceTest {
    private static final String DARK = new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet();
    private static final String LIGHT = new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet();

    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private final AppSettings settings = new AppSettings() {
        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(stored.get(key));
        }

        @Override
        public void put(String key, String value) {
            stored.put(key, value);
        }
    };
    private SessionBus bus;
    private ThemePreference theme;
    private Stage stage;

    @BeforeEach
    void bus() throws Exception {
        bus = SessionBus.start().withPortal(1);
    }

    @AfterEach
    void close() throws Exception {
        if (theme != null) {
            theme.close();
        }
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(stage::close).get();
        }
        background.shutdownNow();
        bus.close();
        WaitForAsyncUtils.asyncFx(Theme.LIGHT::apply).get();
    }

    private ComboBox<?> show(FxRobot robot) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            theme = ThemePreference.load(settings, background);
            stage = new Stage();
            stage.setScene(new Scene(new MainWindow(List.of(), null, theme).root(), 800, 600));
            stage.show();
        }).get();
        return robot.lookup("#theme").queryAs(ComboBox.class);
    }

    private static void await(String what, Callable<Boolean> condition) throws TimeoutException {
        FxWait.until(what, 10, condition);
    }

    private static String shown(ComboBox<?> box) {
        return ((ListCell<?>) box.getButtonCell()).getText();
    }

    @Test
    void followsTheDesktopLiveUntilTheUserChoosesAndRemembersTheChoice(FxRobot robot) throws Exception {
        ComboBox<?> box = show(robot);
        await("dark from the portal", () -> DARK.equals(Application.getUserAgentStylesheet()));
        assertEquals("System", shown(box));

        bus.changeColorScheme(2);
        await("light when the desktop switches", () -> LIGHT.equals(Application.getUserAgentStylesheet()));
        bus.changeColorScheme(1);
        await("dark again", () -> DARK.equals(Application.getUserAgentStylesheet()));

        robot.clickOn("#theme").clickOn("Light");
        await("the user's light", () -> LIGHT.equals(Application.getUserAgentStylesheet()));
        await("remembered", () -> "light".equals(stored.get(ThemePreference.KEY)));
        bus.changeColorScheme(1);
        Thread.sleep(500);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(LIGHT, Application.getUserAgentStylesheet(), "a chosen theme no longer follows the desktop");
        assertEquals("Light", shown(box));
    }

    @Test
    void aRememberedChoiceWinsOverTheDesktopAtStart(FxRobot robot) throws Exception {
        stored.put(ThemePreference.KEY, "light");
        ComboBox<?> box = show(robot);
        await("shown as remembered", () -> "Light".equals(shown(box)));
        assertEquals(LIGHT, Application.getUserAgentStylesheet());
    }
}
