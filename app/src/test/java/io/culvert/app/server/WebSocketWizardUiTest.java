package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.Messages;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 14's nginx snippet through the real UI: the wizard's Transport step turns on the WebSocket endpoint, shows the
 * admin guide's nginx location block with the chosen path and port, copies it, writes the culvert-websocket lines, and
 * the Edit dialog shows the endpoint and its snippet again.
 */
@ExtendWith(ApplicationExtension.class)
class WebSocketWizardUiTest {
    private static final Messages M = Messages.of("server");

    static {
        // first in its JVM on a loaded machine, the app's start (with the engine's warm-up beside it) can outlast
        // TestFX's default 30 s; the value is read once, when FxToolkit is first used
        System.setProperty("testfx.setup.timeout", System.getProperty("testfx.setup.timeout", "120000"));
        System.setProperty("testfx.launch.timeout", System.getProperty("testfx.launch.timeout", "120000"));
    }
    @TempDir
    Path dir;
    private AppContext context;
    private ExecutorService background;

    @Start
    void start(Stage s) {
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        background = Executors.newVirtualThreadPerTaskExecutor();
        context = new AppContext(engine, dir, background,
                io.culvert.engine.profiles.LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system()),
                LocalServerAdmin.open(engine, dir, InstantSource.system()));
        new CulvertApp().start(s, context);
    }

    @AfterEach
    void stop() {
        context.servers().close();
        background.shutdownNow();
    }

    @Test
    void theWizardShowsTheNginxSnippetForTheServersWebSocketEndpoint(FxRobot robot) throws Exception {
        robot.clickOn("#nav-servers");
        robot.clickOn("#server-new");
        robot.clickOn("#wizard-name").write("site");
        robot.clickOn("#wizard-publicHost").write("vpn.example.org");
        robot.clickOn("#wizard-next").clickOn("#wizard-next");
        assertEquals("", snippet(robot), "no endpoint, no snippet");
        assertTrue(robot.lookup("#wizard-nginx-copy").queryButton().isDisabled());
        assertFalse(robot.lookup("#wizard-nginx-snippet").query().isVisible(), "the details show only when it is ticked");

        robot.clickOn("#wizard-websocket");
        String example = snippet(robot);
        assertTrue(example.startsWith("location /vpn {\n    proxy_pass http://127.0.0.1:8081;\n"), example);
        replace(robot, "#wizard-websocket-port", "9000");
        replace(robot, "#wizard-websocket-path", "/tunnel");
        String shown = snippet(robot);
        assertEquals("""
                location /tunnel {
                    proxy_pass http://127.0.0.1:9000;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection "upgrade";
                    proxy_set_header Host $host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Real-Port $remote_port;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_read_timeout 60s;
                    proxy_send_timeout 60s;
                    proxy_buffering off;
                }
                """, shown);
        robot.clickOn("#wizard-nginx-copy");
        WaitForAsyncUtils.waitForFxEvents();
        String[] copied = new String[1];
        robot.interact(() -> copied[0] = Clipboard.getSystemClipboard().getString());
        assertEquals(shown, copied[0], "Copy puts the snippet on the clipboard");

        replace(robot, "#wizard-websocket-path", "/a b");
        assertEquals(M.get("wizard.error.websocket"), label(robot, "#wizard-problems"));
        assertEquals("", snippet(robot));
        replace(robot, "#wizard-websocket-path", "/tunnel");
        assertEquals("", label(robot, "#wizard-problems"));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#wizard-next");
        robot.clickOn("#wizard-create");
        waitFor(() -> "site".equals(label(robot, "#server-name")), "the new server");

        String written = Files.readString(dir.resolve("servers/site/server.conf"));
        assertTrue(written.contains("\nsetenv opt culvert-websocket 127.0.0.1:9000 /tunnel\n"
                + "setenv opt culvert-websocket-trusted-proxy 127.0.0.1\n"), written);

        robot.clickOn("#server-edit");
        robot.clickOn("#wizard-next").clickOn("#wizard-next");
        assertTrue(robot.lookup("#wizard-websocket").queryAs(CheckBox.class).isSelected(), "Edit shows the endpoint");
        assertEquals(shown, snippet(robot), "and its snippet");
    }

    private static String snippet(FxRobot robot) {
        return robot.lookup("#wizard-nginx-snippet").queryTextInputControl().getText();
    }

    private static void replace(FxRobot robot, String id, String text) {
        robot.clickOn(id);
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(text);
    }

    private static String label(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out: " + what, e);
        }
    }
}
