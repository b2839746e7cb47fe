package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.FxWait;
import io.culvert.app.common.Theme;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import javafx.geometry.Bounds;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.Mnemonic;
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
 * The whole app's window and the keyboard (issue 12): the window keeps its size whichever face is shown; Alt+letter
 * mnemonics reach the main actions (Connect/Disconnect, Import, the faces, a server's Start/Stop); a control reached
 * with the keyboard shows a focus ring that stands out from the window in light and in dark.
 */
@ExtendWith(ApplicationExtension.class)
class WindowKeyboardTest {
    private Path dir;
    private AppContext ctx;
    private LoopbackServer server;
    private CulvertApp app;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("culvert-window-keys");
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        LocalServerAdmin admin = LocalServerAdmin.open(engine, dir.resolve("admin"), InstantSource.system());
        int port = FreePorts.udp();
        admin.create(ServerSpec.builder("office", "127.0.0.1").network("10.66.0.0", "255.255.255.0").port(port)
                .bindAddress("127.0.0.1").build());
        ctx = new AppContext(engine, dir, Executors.newVirtualThreadPerTaskExecutor(),
                LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.system()), admin);
        server = LoopbackServer.start(engine, dir.resolve("server"));
        Theme.LIGHT.apply();
        app = new CulvertApp();
        app.start(stage, ctx);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(app::stop).get();
        Theme.LIGHT.apply();
        ctx.servers().close();
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws TimeoutException {
        FxWait.until(what, 30, condition);
    }

    private static void keys(FxRobot robot, KeyCode... combo) {
        robot.press(combo);
        for (int i = combo.length - 1; i >= 0; i--) {
            robot.release(combo[i]);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static boolean selected(FxRobot robot, String face) {
        return robot.lookup("#nav-" + face).queryAs(ToggleButton.class).isSelected();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void theWindowKeepsItsSizeWhicheverFaceIsShown(FxRobot robot) throws Exception {
        double w = stage.getWidth();
        double h = stage.getHeight();
        List<String> sizes = new ArrayList<>();
        Runnable check = () -> sizes.add(stage.getWidth() + "x" + stage.getHeight() + " scene "
                + stage.getScene().getRoot().getLayoutBounds().getWidth() + "x" + stage.getScene().getRoot().getLayoutBounds().getHeight());
        check.run();
        for (String face : List.of("servers", "topology", "client", "topology", "servers", "client")) {
            robot.clickOn("#nav-" + face);
            await(face, () -> selected(robot, face));
            check.run();
        }
        for (KeyCode digit : List.of(KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT1)) {
            keys(robot, KeyCode.CONTROL, digit);
            check.run();
        }
        String first = sizes.getFirst();
        assertEquals(w + "x" + h + " scene " + stage.getScene().getWidth() + "x" + stage.getScene().getHeight(), first);
        assertTrue(sizes.stream().allMatch(first::equals), "window and content size on every face: " + sizes);
    }

    /** The id of the node the scene's Alt+{@code key} mnemonic fires (every mnemonic of the scene when none). */
    private String mnemonic(KeyCode key) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            List<String> all = new ArrayList<>();
            for (var e : stage.getScene().getMnemonics().entrySet()) {
                for (Mnemonic m : e.getValue()) {
                    all.add(e.getKey().getName() + "=" + m.getNode().getId());
                    if (e.getKey().getName().equalsIgnoreCase("Alt+'" + key.getChar() + "'") && m.getNode().getScene() != null) {
                        return m.getNode().getId();
                    }
                }
            }
            return "no Alt+" + key.getName() + " among " + all;
        }).get();
    }

    @Test
    void altLettersReachTheMainActions(FxRobot robot) throws Exception {
        Path profile = server.writeProfile("office.ovpn", "udp", "");
        robot.interact(() -> app.feature(ClientFeature.class).importFiles(List.of(profile)));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals("import", mnemonic(KeyCode.I), "Alt+I: Import\u2026");
        assertEquals("connect", mnemonic(KeyCode.C), "Alt+C: Connect");
        keys(robot, KeyCode.ALT, KeyCode.C);
        await("connected through Alt+C", () -> "Connected".equals(text(robot, "#state")));
        assertEquals("connect", mnemonic(KeyCode.D), "Alt+D: Disconnect");
        keys(robot, KeyCode.ALT, KeyCode.D);
        await("disconnected through Alt+D", () -> "Not connected".equals(text(robot, "#state")));

        keys(robot, KeyCode.ALT, KeyCode.M);
        await("server manager through Alt+M", () -> selected(robot, "servers"));
        await("the server selected", () -> "office".equals(text(robot, "#server-name")));
        assertEquals("server-start", mnemonic(KeyCode.S), "Alt+S: Start");
        keys(robot, KeyCode.ALT, KeyCode.S);
        await("running through Alt+S", () -> robot.lookup("#server-stop").queryButton().isDisabled() == false);
        assertEquals("server-stop", mnemonic(KeyCode.P), "Alt+P: Stop");
        keys(robot, KeyCode.ALT, KeyCode.P);
        await("stopped through Alt+P", () -> !robot.lookup("#server-start").queryButton().isDisabled());

        keys(robot, KeyCode.ALT, KeyCode.T);
        await("topology through Alt+T", () -> selected(robot, "topology"));
        keys(robot, KeyCode.ALT, KeyCode.L);
        await("client through Alt+L", () -> selected(robot, "client"));
    }

    @Test
    void aControlReachedWithTheKeyboardHasAFocusRingThatStandsOutInLightAndDark(FxRobot robot) throws Exception {
        for (Theme theme : Theme.values()) {
            robot.interact(theme::apply);
            WaitForAsyncUtils.waitForFxEvents();
            Button imp = robot.lookup("#import").queryButton();
            await("import button shown", imp::isVisible);
            // away from it, then to it with Tab (the ring is for keyboard focus)
            robot.interact(() -> robot.lookup("#nav-client").queryAs(ToggleButton.class).requestFocus());
            for (int i = 0; i < 40 && !imp.isFocused(); i++) {
                keys(robot, KeyCode.TAB);
            }
            assertTrue(imp.isFocused() && imp.isFocusVisible(), theme + ": Tab reaches Import\u2026");
            Bounds b = WaitForAsyncUtils.asyncFx(() -> imp.localToScene(imp.getLayoutBounds())).get();
            int x = (int) Math.floor(b.getMinX()) - 3;
            int y = (int) Math.round(b.getCenterY());
            Color ring = pixel(x, y);
            keys(robot, KeyCode.TAB);
            assertTrue(!imp.isFocused(), theme + ": Tab moves on");
            Color without = pixel(x, y);
            double contrast = contrast(ring, without);
            assertTrue(contrast >= 3, theme + ": the ring beside the focused button (" + ring + ") against the window ("
                    + without + ") has contrast " + contrast + ", wants at least 3:1");
        }
    }

    private Color pixel(int x, int y) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage shot = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get();
        return shot.getPixelReader().getColor(x, y);
    }

    /** WCAG 2 contrast ratio of two opaque colours. */
    private static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
}
