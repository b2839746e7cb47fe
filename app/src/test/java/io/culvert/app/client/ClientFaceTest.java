package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.common.FxWait;
import io.culvert.app.common.Theme;
import io.culvert.app.shell.MainWindow;
import io.culvert.engine.api.ProfileImport;
import io.culvert.engine.api.ProfileSummary;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import io.culvert.engine.testkit.FreePorts;
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
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the client face against the real engine: a Culvert server on loopback (in-memory devices), a profile
 * imported from files, Connect through the engine's states to an assigned address, and back.
 */
@ExtendWith(ApplicationExtension.class)
class ClientFaceTest {
    private Path dir;
    private AppContext ctx;
    private LoopbackServer server;
    private ClientFeature feature;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("culvert-client-face");
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
        FxWait.until(what, 20, condition);
    }

    private void importProfile(FxRobot robot, Path file) throws TimeoutException {
        robot.interact(() -> feature.importFiles(List.of(file)));
        await("import report", () -> robot.lookup("#import-report").tryQuery().isPresent());
    }

    private void closeReport(FxRobot robot) {
        DialogPane pane = robot.lookup("#import-report-dialog").queryAs(DialogPane.class);
        robot.clickOn(pane.lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void importShowsTheReportThenConnectsToAnAddressAndDisconnects(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("office.ovpn", "udp", ""));

        @SuppressWarnings("unchecked")
        TableView<ProfileImport.Item> report = robot.lookup("#import-report").queryAs(TableView.class);
        List<ProfileImport.Item> items = report.getItems();
        assertEquals(13, items.size());
        assertEquals(new ProfileImport.Item(5, "remote", ProfileImport.Status.SUPPORTED, items.get(3).note(), false, false), items.get(3));
        assertEquals(ProfileImport.Status.IGNORED, items.stream().filter(i -> i.directive().equals("persist-key")).findFirst()
                .orElseThrow().status());
        assertTrue(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).getHeaderText().contains("imported as \u201coffice\u201d"));
        closeReport(robot);

        @SuppressWarnings("unchecked")
        ListView<ProfileSummary> list = robot.lookup("#profiles").queryAs(ListView.class);
        assertEquals(List.of("office"), list.getItems().stream().map(ProfileSummary::name).toList());
        assertEquals("office", text(robot, "#profile-name"));
        assertEquals("Not connected", text(robot, "#state"));

        robot.clickOn("#connect");
        await("Connected", () -> "Connected".equals(text(robot, "#state")));
        await("address", () -> text(robot, "#status-address").startsWith("10.8.0."));
        assertEquals("_Disconnect", robot.lookup("#connect").queryButton().getText());
        assertEquals("AES-256-GCM", text(robot, "#status-cipher"));
        assertTrue(text(robot, "#status-server").contains("127.0.0.1"), text(robot, "#status-server"));
        assertEquals(1, server.server.instances().size());
        assertEquals("alice", server.server.instances().getFirst().commonName());
        await("notification", () -> feature.lastNotification().startsWith("Connected: office"));
        assertEquals("office", ctx.profiles().settings().get(ClientViewModel.LAST_PROFILE).orElseThrow());

        robot.clickOn("#connect");
        await("Not connected", () -> "Not connected".equals(text(robot, "#state")));
        assertEquals("_Connect", robot.lookup("#connect").queryButton().getText());
        assertEquals("\u2014", text(robot, "#status-address"));
        await("server sees the client leave", () -> server.server.instances().isEmpty());
        assertTrue(feature.lastNotification().startsWith("Disconnected: office"), feature.lastNotification());
    }

    @Test
    void unusableProfileIsReportedAndNotStored(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("broken.ovpn", "udp", "frobnicate yes\n"));

        DialogPane pane = robot.lookup("#import-report-dialog").queryAs(DialogPane.class);
        assertTrue(pane.getHeaderText().contains("was not imported"), pane.getHeaderText());
        @SuppressWarnings("unchecked")
        ListView<String> problems = robot.lookup("#report-problems").queryAs(ListView.class);
        assertEquals(1, problems.getItems().size());
        assertTrue(problems.getItems().getFirst().startsWith("Line 11: frobnicate"), problems.getItems().getFirst());
        closeReport(robot);
        assertTrue(ctx.profiles().list().isEmpty());
    }

    /** Issue 12: the row of the line that stopped the import says "Refused" and why, not "Supported". */
    @Test
    void aRefusedLinesRowShowsTheRefusalAndItsReason(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("badmtu.ovpn", "udp", "tun-mtu banana\n"));

        DialogPane pane = robot.lookup("#import-report-dialog").queryAs(DialogPane.class);
        assertTrue(pane.getHeaderText().contains("was not imported"), pane.getHeaderText());
        List<String> row = renderedRow(robot, "tun-mtu");
        assertEquals(List.of("11", "tun-mtu", "Refused", "'banana' is not a number"), row);
        assertEquals(List.of("3", "dev", "Supported"), renderedRow(robot, "dev").subList(0, 3));
        assertTrue(text(robot, "#report-counts").endsWith("1 refused"), text(robot, "#report-counts"));
        closeReport(robot);
    }

    /** The texts the report table's cells show for {@code directive}'s row, left to right. */
    private static List<String> renderedRow(FxRobot robot, String directive) {
        @SuppressWarnings("unchecked")
        TableView<ProfileImport.Item> table = robot.lookup("#import-report").queryAs(TableView.class);
        robot.interact(() -> table.scrollTo(table.getItems().stream().filter(i -> i.directive().equals(directive))
                .findFirst().orElseThrow()));
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(".table-row-cell").queryAllAs(javafx.scene.control.TableRow.class).stream()
                .filter(r -> r.getItem() instanceof ProfileImport.Item i && i.directive().equals(directive))
                .findFirst().orElseThrow(() -> new AssertionError("no rendered row for " + directive))
                .getChildrenUnmodifiable().stream().filter(javafx.scene.control.TableCell.class::isInstance)
                .map(n -> ((javafx.scene.control.TableCell<?, ?>) n).getText()).toList();
    }

    @Test
    void loginPromptWithOneTimeCodeConnectsAndSavesThePasswordWhenAsked(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("otp.ovpn", "udp", "auth-user-pass\nstatic-challenge \"Enter your code\" 1\n"));
        closeReport(robot);

        robot.clickOn("#connect");
        await("login prompt", () -> robot.lookup("#login-dialog").tryQuery().isPresent());
        assertEquals("Enter your code", text(robot, "#login-challenge"));
        robot.clickOn("#login-username").write("alice");
        robot.clickOn("#login-password").write("correct horse");
        robot.clickOn("#login-response").write("123456");
        robot.clickOn("#login-save");
        assertTrue(robot.lookup("#login-save").queryAs(CheckBox.class).isSelected());
        robot.clickOn("#login-ok");

        await("Connected", () -> "Connected".equals(text(robot, "#state")));
        await("saved login", () -> ctx.profiles().savedLogin("otp").isPresent());
        assertEquals("alice", ctx.profiles().savedLogin("otp").orElseThrow().username());
        assertEquals("correct horse", ctx.profiles().savedLogin("otp").orElseThrow().password());
        robot.clickOn("#connect");
        await("Not connected", () -> "Not connected".equals(text(robot, "#state")));
    }

    @Test
    void cancellingTheLoginGoesBackToIdleWithoutAnError(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("ask.ovpn", "udp", "auth-user-pass\n"));
        closeReport(robot);
        robot.clickOn("#connect");
        await("login prompt", () -> robot.lookup("#login-dialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#login-dialog").queryAs(DialogPane.class);
        robot.clickOn(pane.lookupButton(ButtonType.CANCEL));
        await("idle", () -> "Not connected".equals(text(robot, "#state")));
        assertFalse(robot.lookup("#error").query().isVisible());
    }

    @Test
    void refusedConnectionShowsWordsAndTheDetailsBehindThem(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("tcp.ovpn", "tcp-client", "connect-retry-max 1\nconnect-retry 1\n"));
        closeReport(robot);

        robot.clickOn("#connect");
        await("failed", () -> "Connection failed".equals(text(robot, "#state")));
        assertTrue(robot.lookup("#error").query().isVisible());
        assertEquals("The server refused the connection.", text(robot, "#error-message"));
        assertEquals("_Connect", robot.lookup("#connect").queryButton().getText());
        await("failure notification", () -> feature.lastNotification().startsWith("Connection failed: tcp"));

        robot.clickOn("#error-details");
        await("details", () -> robot.lookup("#error-detail-text").tryQuery().isPresent());
        String details = robot.lookup("#error-detail-text").queryAs(TextArea.class).getText();
        assertTrue(details.startsWith("CONNECTION_REFUSED\n"), details);
        assertTrue(details.contains("127.0.0.1:" + server.port), details);
    }

    @Test
    void unansweredUdpHandshakeIsNamedWithinFiveSeconds(FxRobot robot) throws Exception {
        int deadPort = FreePorts.udp(); // nothing listens there once closed
        Path file = server.writeProfile("silent.ovpn", "udp", "");
        Files.writeString(file, Files.readString(file).replace("remote 127.0.0.1 " + server.port + "\n",
                "remote 127.0.0.1 " + deadPort + "\n"));
        importProfile(robot, file);
        closeReport(robot);

        long clicked = System.nanoTime();
        robot.clickOn("#connect");
        String hint = "Sent 2 handshake packets, no answer yet (a blocked UDP port or a wrong address looks the same)";
        await("no-answer hint", () -> hint.equals(text(robot, "#no-answer-message"))
                && robot.lookup("#no-answer-message").query().isVisible());
        long millis = (System.nanoTime() - clicked) / 1_000_000;
        assertTrue(millis < 5000, "hint shown after " + millis + " ms");
        assertEquals("Waiting for the server\u2026", text(robot, "#state"));
        assertTrue(ctx.profiles().list().stream().anyMatch(p -> p.name().equals("silent")));
        robot.clickOn("#connect");
        await("Not connected", () -> "Not connected".equals(text(robot, "#state")));
        assertFalse(robot.lookup("#no-answer-message").query().isVisible());
    }

    @Test
    void retryingDetailsAreNotTitledConnectionFailed(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("retry.ovpn", "tcp-client", "connect-retry 1\n"));
        closeReport(robot);

        robot.clickOn("#connect");
        await("retrying", () -> robot.lookup("#retrying").query().isVisible());
        assertEquals("The server refused the connection. Retrying\u2026", text(robot, "#retrying-message"));
        assertFalse(robot.lookup("#error").query().isVisible());
        robot.clickOn("#retrying-details");
        await("details", () -> robot.lookup("#error-dialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#error-dialog").queryAs(DialogPane.class);
        String title = ((Stage) pane.getScene().getWindow()).getTitle();
        assertEquals("Reconnecting after an error", title);
        assertEquals("The server refused the connection.", pane.getHeaderText());
        robot.interact(() -> pane.getScene().getWindow().hide());
        robot.clickOn("#connect");
        await("Not connected", () -> "Not connected".equals(text(robot, "#state")));
    }

    @Test
    void formEditRewritesOnlyItsLineAndSaves(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("office.ovpn", "udp", ""));
        closeReport(robot);
        robot.clickOn("#tab-settings");
        await("form loaded", () -> "udp".equals(robot.lookup("#form-proto").queryAs(ComboBox.class).getEditor().getText()));
        String before = robot.lookup("#profile-text").queryAs(TextArea.class).getText();

        robot.interact(() -> robot.lookup("#form-proto").queryAs(ComboBox.class).getEditor().setText("tcp-client"));
        await("preview", () -> robot.lookup("#profile-text").queryAs(TextArea.class).getText().contains("proto tcp-client\n"));
        String after = robot.lookup("#profile-text").queryAs(TextArea.class).getText();
        assertEquals(before.replace("proto udp\n", "proto tcp-client\n"), after);

        robot.clickOn("#settings-save");
        await("saved", () -> ctx.profiles().text("office").contains("proto tcp-client\n"));
        assertEquals(after, ctx.profiles().text("office"));
        assertTrue(ctx.profiles().text("office").startsWith("# Test office profile\n"));
    }

    @Test
    void theKillSwitchBoxesWriteALineStockOpenvpnSkips(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("office.ovpn", "udp", ""));
        closeReport(robot);
        robot.clickOn("#tab-settings");
        await("form loaded", () -> "udp".equals(robot.lookup("#form-proto").queryAs(ComboBox.class).getEditor().getText()));
        String before = robot.lookup("#profile-text").queryAs(TextArea.class).getText();
        assertTrue(robot.lookup("#form-kill-switch-lan").queryAs(CheckBox.class).isDisabled(), "LAN only with the switch");
        assertEquals("Kill switch: block all traffic outside the VPN while this profile is on",
                robot.lookup("#form-kill-switch").queryAs(CheckBox.class).getText());

        robot.clickOn("#form-kill-switch");
        await("preview", () -> robot.lookup("#profile-text").queryAs(TextArea.class).getText()
                .contains("setenv opt culvert-kill-switch\n"));
        robot.clickOn("#form-kill-switch-lan");
        await("allow-lan", () -> robot.lookup("#profile-text").queryAs(TextArea.class).getText()
                .contains("setenv opt culvert-kill-switch allow-lan\n"));
        String after = robot.lookup("#profile-text").queryAs(TextArea.class).getText();
        assertEquals(1, after.lines().filter(l -> l.contains("culvert-kill-switch")).count(), after);
        robot.clickOn("#settings-save");
        await("saved", () -> ctx.profiles().text("office").contains("setenv opt culvert-kill-switch allow-lan\n"));

        robot.clickOn("#form-kill-switch");
        await("removed", () -> !robot.lookup("#profile-text").queryAs(TextArea.class).getText().contains("kill-switch"));
        assertEquals(before, robot.lookup("#profile-text").queryAs(TextArea.class).getText());
    }

    @Test
    void windowSizeIsRemembered(FxRobot robot) throws Exception {
        robot.interact(() -> {
            stage.setWidth(1012);
            stage.setHeight(702);
        });
        await("size saved", () -> ctx.profiles().settings().get(ClientFeature.WIDTH).orElse("").equals("1012")
                && ctx.profiles().settings().get(ClientFeature.HEIGHT).orElse("").equals("702"));
    }

    @Test
    void logFiltersBySearchAndLevel(FxRobot robot) throws Exception {
        importProfile(robot, server.writeProfile("office.ovpn", "udp", ""));
        closeReport(robot);
        robot.clickOn("#connect");
        await("Connected", () -> "Connected".equals(text(robot, "#state")));
        robot.clickOn("#tab-log");
        @SuppressWarnings("unchecked")
        ListView<LogModel.Entry> log = robot.lookup("#log-list").queryAs(ListView.class);
        await("log lines", () -> !log.getItems().isEmpty());
        int all = log.getItems().size();
        robot.clickOn("#log-search").write("link remote");
        await("search", () -> log.getItems().size() == 1);
        assertTrue(log.getItems().getFirst().message().startsWith("UDP link remote"), log.getItems().getFirst().message());
        robot.interact(() -> robot.lookup("#log-level").queryAs(ComboBox.class).setValue(io.culvert.engine.api.EngineEvent.Level.WARN));
        assertEquals(0, log.getItems().size());
        assertTrue(all >= 1);
        robot.clickOn("#connect");
        await("Not connected", () -> "Not connected".equals(text(robot, "#state")));
    }

}
