package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import javafx.scene.Scene;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
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
 * The client's tray icon as a desktop panel sees it over a real session D-Bus (a dbus-daemon this test starts, with a
 * StatusNotifierWatcher on it): the app registers its item, the item's properties and dbusmenu list the state and the
 * profiles, a click on a profile in the menu connects it through the in-memory engine, and the tooltip, status and
 * menu follow.
 */
@ExtendWith(ApplicationExtension.class)
class ClientTrayTest {
    private Path dir;
    private AppContext ctx;
    private LoopbackServer server;
    private ClientFeature feature;
    private SessionBus bus;
    private TrayHost host;

    @Start
    void start(Stage stage) throws Exception {
        bus = SessionBus.start();
        host = TrayHost.on(bus);
        dir = Files.createTempDirectory("culvert-client-tray");
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
        try {
            feature.shutdown();
            server.close();
            ctx.background().shutdownNow();
            ctx.profiles().close();
            host.close();
            bus.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws TimeoutException {
        FxWait.until(what, 30, condition);
    }

    private List<String> lines(String service) throws Exception {
        return host.menuLines(service).stream().map(TrayHost.Line::text).toList();
    }

    private int idOf(String service, String text) throws Exception {
        return host.menuLines(service).stream().filter(l -> l.text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError(text + " not in " + uncheck(() -> lines(service)))).id();
    }

    @Test
    void aPanelListsTheProfilesAndConnectsTheOneClicked(FxRobot robot) throws Exception {
        robot.interact(() -> feature.importFiles(List.of(uncheck(() -> server.writeProfile("office.ovpn", "udp", "")),
                uncheck(() -> server.writeProfile("home_lab.ovpn", "udp", "")))));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#import-report-dialog").queryAs(DialogPane.class);
        robot.clickOn(pane.lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();

        await("registered with the watcher", () -> !host.registered().isEmpty());
        String item = host.registered().getFirst();
        assertTrue(item.startsWith("org.kde.StatusNotifierItem-"), item);
        assertEquals("culvert", host.itemProperty(item, "Id"));
        assertEquals("ApplicationStatus", host.itemProperty(item, "Category"));
        assertEquals("Culvert", host.itemProperty(item, "Title"));
        assertEquals("Passive", host.itemProperty(item, "Status"));
        assertEquals(List.of("Culvert", "Not connected"), host.toolTip(item));
        await("both profiles in the menu", () -> lines(item).contains("( ) home_lab"));
        assertEquals(List.of("Not connected [disabled]", "---", "( ) home_lab", "( ) office", "---",
                "Disconnect [disabled]", "Show Culvert", "[x] Keep running in the tray when the window is closed", "Quit Culvert"), lines(item));

        host.click(item, idOf(item, "( ) office"));
        await("Connected", () -> "Connected".equals(robot.lookup("#state").queryAs(Label.class).getText()));
        await("tooltip says so", () -> host.toolTip(item).equals(List.of("Culvert", "Connected: office")));
        assertEquals("Active", host.itemProperty(item, "Status"));
        await("menu says so", () -> lines(item).getFirst().equals("Connected: office [disabled]"));
        assertEquals(List.of("Connected: office [disabled]", "---", "( ) home_lab", "(\u2022) office", "---", "Disconnect",
                "Show Culvert", "[x] Keep running in the tray when the window is closed", "Quit Culvert"), lines(item));
        List<String> signals = host.signals();
        assertTrue(signals.contains("NewToolTip") && signals.contains("NewStatus Active") && signals.contains("LayoutUpdated"),
                signals::toString);

        host.click(item, idOf(item, "(\u2022) office")); // the running profile: a click disconnects it
        await("disconnected", () -> host.toolTip(item).equals(List.of("Culvert", "Not connected")));
        assertEquals("Passive", host.itemProperty(item, "Status"));
        assertEquals("( ) office", lines(item).get(3));
    }

    @Test
    void aClickOnAnotherProfileSwitchesToIt(FxRobot robot) throws Exception {
        robot.interact(() -> feature.importFiles(List.of(uncheck(() -> server.writeProfile("office.ovpn", "udp", "")),
                uncheck(() -> server.writeProfile("home.ovpn", "udp", "")))));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        await("registered with the watcher", () -> !host.registered().isEmpty());
        String item = host.registered().getFirst();
        await("both profiles in the menu", () -> lines(item).contains("( ) home"));

        host.click(item, idOf(item, "( ) office"));
        await("office", () -> host.toolTip(item).equals(List.of("Culvert", "Connected: office")));
        host.click(item, idOf(item, "( ) home"));
        await("home", () -> host.toolTip(item).equals(List.of("Culvert", "Connected: home")));
        assertTrue(lines(item).containsAll(List.of("( ) office", "(\u2022) home")), () -> uncheck(() -> lines(item)).toString());
        host.click(item, idOf(item, "Disconnect"));
        await("disconnected", () -> host.toolTip(item).equals(List.of("Culvert", "Not connected")));
    }

    /**
     * The AWT fallback menu (XEmbed trays) is built from the same model: every item of the StatusNotifier menu, with its
     * label, check and enabled state (AWT draws radio items as check items), and a click reports the same id, which
     * {@link ClientTray#clicked} handles for both.
     */
    @Test
    void theAwtFallbackMenuHasTheSameItemsAsThePanelsMenu(FxRobot robot) throws Exception {
        robot.interact(() -> feature.importFiles(List.of(uncheck(() -> server.writeProfile("office.ovpn", "udp", "")),
                uncheck(() -> server.writeProfile("home_lab.ovpn", "udp", "")))));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        await("registered with the watcher", () -> !host.registered().isEmpty());
        String item = host.registered().getFirst();
        host.click(item, idOf(item, "( ) office"));
        await("menu says connected", () -> lines(item).getFirst().equals("Connected: office [disabled]"));

        io.culvert.app.common.TrayModel model = WaitForAsyncUtils.asyncFx(() -> feature.tray().model()).get();
        List<TrayHost.Line> panel = host.menuLines(item);
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Djava.awt.headless=false",
                "-cp", System.getProperty("java.class.path"), AwtMenuProbe.class.getName()).redirectErrorStream(true).start();
        p.getOutputStream().write((AwtMenuProbe.encode(model) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        List<String> awt = out.lines().filter(l -> l.startsWith("AWT ")).map(l -> l.substring(4)).toList();

        assertEquals(List.of("[ ] Connected: office [disabled]".substring(4), "---", "[ ] home_lab", "[x] office", "---",
                "Disconnect", "Show Culvert", "[x] Keep running in the tray when the window is closed", "Quit Culvert"),
                awt.subList(0, 9), out);
        // the same lines as the panel draws, radio items as AWT's check items
        assertEquals(panel.stream().map(l -> l.text().replace("(\u2022) ", "[x] ").replace("( ) ", "[ ] ")).toList(),
                awt.subList(0, panel.size()), out);
        List<String> clicked = panel.stream().filter(l -> !l.text().endsWith("[disabled]") && !l.text().equals("---"))
                .map(l -> "clicked " + l.id()).toList();
        assertEquals(clicked, awt.subList(panel.size(), awt.size()), "each click reports the panel's id for the item");
    }

    private interface Io<T> {
        T get() throws Exception;
    }

    private static <T> T uncheck(Io<T> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
