package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.common.FxWait;
import io.culvert.app.common.SessionBus;
import io.culvert.app.common.Theme;
import io.culvert.app.common.TrayHost;
import io.culvert.app.shell.MainWindow;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Closing the window: with the client's icon in a tray (a StatusNotifierWatcher on a real session bus) the window hides
 * and the app runs on, saying so once through the desktop's notifications, and the tray's Show and Quit work; without
 * a tray, or with the setting off, closing quits as it always did. "Quit" is what the app passes ({@code Platform.exit}
 * in {@code CulvertApp}); here it is counted, so the test's FX toolkit lives on.
 */
@ExtendWith(ApplicationExtension.class)
class CloseToTrayTest {
    private Path dir;
    private AppContext ctx;
    private ClientFeature feature;
    private SessionBus bus;
    private TrayHost host;
    private Stage stage;
    private final AtomicInteger quits = new AtomicInteger();
    /** TestFX's setting (false: its stage outlives the tests), read once the toolkit runs. */
    private boolean implicitExit;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        implicitExit = Platform.isImplicitExit();
        bus = SessionBus.start().withNotificationServer();
        dir = Files.createTempDirectory("culvert-close-to-tray");
        ctx = new AppContext(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()), dir,
                Executors.newVirtualThreadPerTaskExecutor(),
                LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.system()));
        Theme.LIGHT.apply();
        stage.setScene(new Scene(new javafx.scene.layout.Pane(), 400, 300));
        stage.show();
    }

    /** Builds the client face on the stage, as CulvertApp does, with {@code host} (or none) on the bus. */
    private void open(FxRobot robot, boolean withTray) throws Exception {
        if (withTray) {
            host = TrayHost.on(bus);
        }
        robot.interact(() -> {
            feature = new ClientFeature(ctx);
            stage.setScene(new Scene(new MainWindow(List.of(feature), null).root(), 1100, 760));
            feature.keepRunningOnClose(stage, quits::incrementAndGet);
            stage.show();
        });
        FxWait.until("tray search", 30, () -> feature.tray() != null && feature.tray().searched());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            // the stage first: implicit exit back on with no window showing would end the FX toolkit at once
            org.testfx.util.WaitForAsyncUtils.asyncFx(() -> {
                stage.show();
                Platform.setImplicitExit(implicitExit);
            }).get();
            feature.shutdown();
            ctx.background().shutdownNow();
            ctx.profiles().close();
            if (host != null) {
                host.close();
            }
            bus.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void close(FxRobot robot) {
        robot.interact(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
    }

    @Test
    void withATrayClosingHidesTheWindowAndTheAppRunsOn(FxRobot robot) throws Exception {
        open(robot, true);
        assertTrue(feature.trayPresent().get());
        close(robot);
        assertFalse(stage.isShowing(), "the window is hidden");
        assertEquals(0, quits.get(), "the app did not quit");
        assertFalse(Platform.isImplicitExit(), "no window on screen does not end the app");
        FxWait.until("told once", 30, () -> bus.received().stream().anyMatch(r -> r.summary().equals("Culvert keeps running in the tray")));
        assertTrue(bus.received().getFirst().body().contains("Ctrl+Q"), bus.received().getFirst().body());

        String item = host.registered().getFirst();
        int show = host.menuLines(item).stream().filter(l -> l.text().equals("Show Culvert")).findFirst().orElseThrow().id();
        host.click(item, show);
        FxWait.until("shown again", 30, stage::isShowing);
        close(robot);
        assertFalse(stage.isShowing());
        Thread.sleep(500); // a second notice would be on its way by now
        assertEquals(1, bus.received().size(), "said once: " + bus.received());

        int quit = host.menuLines(item).stream().filter(l -> l.text().equals("Quit Culvert")).findFirst().orElseThrow().id();
        host.click(item, quit);
        FxWait.until("quit from the tray", 30, () -> quits.get() == 1);
    }

    @Test
    void withTheTraySettingUncheckedClosingQuits(FxRobot robot) throws Exception {
        open(robot, true);
        assertTrue(feature.trayPresent().get());
        String item = host.registered().getFirst();
        String keep = "[x] Keep running in the tray when the window is closed";
        host.click(item, host.menuLines(item).stream().filter(l -> l.text().equals(keep)).findFirst().orElseThrow().id());
        FxWait.until("unchecked", 30, () -> host.menuLines(item).stream()
                .anyMatch(l -> l.text().equals("[ ] Keep running in the tray when the window is closed")));
        FxWait.until("remembered", 30, () -> ctx.profiles().settings().get(ClientFeature.CLOSE_TO_TRAY).orElse("").equals("false"));
        robot.clickOn("#tab-settings");
        FxWait.until("the Settings switch follows the menu", 30,
                () -> !robot.lookup("#settings-close-to-tray").queryAs(CheckBox.class).isSelected());
        close(robot);
        assertEquals(1, quits.get(), "closing quits");
        assertTrue(stage.isShowing());
        assertTrue(bus.received().isEmpty());
    }

    @Test
    void theSwitchInSettingsIsTheTrayMenusCheckmark(FxRobot robot) throws Exception {
        open(robot, true);
        assertTrue(feature.trayPresent().get());
        String item = host.registered().getFirst();
        String on = "[x] Keep running in the tray when the window is closed";
        String off = "[ ] Keep running in the tray when the window is closed";
        FxWait.until("checked in the menu", 30, () -> host.menuLines(item).stream().anyMatch(l -> l.text().equals(on)));
        robot.clickOn("#tab-settings");
        CheckBox keep = robot.lookup("#settings-close-to-tray").queryAs(CheckBox.class);
        assertEquals("Keep running in the tray when the window is closed", keep.getText());
        assertTrue(keep.getTooltip().getText().startsWith("For Culvert itself, whichever profile is selected."));
        assertTrue(keep.isSelected());
        assertFalse(keep.isDisabled(), "an app setting, usable with no profile selected");
        assertTrue(keep.isVisible() && keep.getScene() == stage.getScene());

        robot.clickOn(keep);
        FxWait.until("unchecked in the menu", 30, () -> host.menuLines(item).stream().anyMatch(l -> l.text().equals(off)));
        FxWait.until("remembered", 30, () -> ctx.profiles().settings().get(ClientFeature.CLOSE_TO_TRAY).orElse("").equals("false"));
        close(robot);
        assertEquals(1, quits.get(), "closing quits");
        assertTrue(stage.isShowing());

        robot.clickOn(keep);
        FxWait.until("checked in the menu again", 30, () -> host.menuLines(item).stream().anyMatch(l -> l.text().equals(on)));
        FxWait.until("remembered", 30, () -> ctx.profiles().settings().get(ClientFeature.CLOSE_TO_TRAY).orElse("").equals("true"));
        close(robot);
        assertFalse(stage.isShowing(), "the window is hidden");
        assertEquals(1, quits.get(), "the app did not quit");
    }

    @Test
    void withoutATrayClosingQuits(FxRobot robot) throws Exception {
        open(robot, false);
        assertFalse(feature.trayPresent().get());
        close(robot);
        assertEquals(1, quits.get(), "closing quits");
        assertTrue(bus.received().isEmpty(), "nothing to say: " + bus.received());
    }
}
