package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.common.FxWait;
import io.culvert.app.common.SessionBus;
import io.culvert.app.common.Theme;
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
 * The client face's notifications reach the desktop's notification service over a real session D-Bus (a dbus-daemon
 * this test starts, with a recording notification server on it): connected, connection lost when the server drops
 * the client, reconnected, disconnected — each one replacing the profile's previous notification.
 */
@ExtendWith(ApplicationExtension.class)
class ClientNotificationsTest {
    private Path dir;
    private AppContext ctx;
    private LoopbackServer server;
    private ClientFeature feature;
    private SessionBus bus;

    @Start
    void start(Stage stage) throws Exception {
        bus = SessionBus.start().withNotificationServer();
        dir = Files.createTempDirectory("culvert-client-notify");
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

    private List<String> summaries() {
        return bus.received().stream().map(SessionBus.Received::summary).toList();
    }

    @Test
    void connectedLostReconnectedAndDisconnectedReachTheDesktop(FxRobot robot) throws Exception {
        robot.interact(() -> feature.importFiles(List.of(uncheck(() -> server.writeProfile("office.ovpn", "udp", "")))));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#import-report-dialog").queryAs(DialogPane.class);
        robot.clickOn(pane.lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#connect");
        await("Connected", () -> "Connected".equals(robot.lookup("#state").queryAs(Label.class).getText()));
        await("notified", () -> summaries().contains("Connected: office"));
        SessionBus.Received connected = bus.received().getFirst();
        assertEquals("Culvert", connected.appName());
        assertTrue(connected.body().startsWith("Your address is 10.8.0."), connected.body());
        assertEquals(1, connected.urgency());

        server.server.kick(server.server.instances().getFirst().peerId());
        await("lost", () -> summaries().contains("Connection lost: office"));
        await("reconnected", () -> summaries().contains("Reconnected: office"));
        robot.clickOn("#connect");
        await("disconnected", () -> summaries().contains("Disconnected: office"));

        List<SessionBus.Received> all = bus.received();
        assertEquals(List.of("Connected: office", "Connection lost: office", "Reconnected: office", "Disconnected: office"),
                summaries());
        assertEquals(2, all.get(1).urgency(), "a lost connection is critical");
        int first = 1; // the recording server numbers new notifications from 1
        assertTrue(all.subList(1, all.size()).stream().allMatch(r -> r.replacesId() == first),
                () -> "each replaces the profile's last: " + all);
    }

    /** Issue 12: a profile that asks for a login with none saved says so on the desktop, as the sign-in dialog opens. */
    @Test
    void signInNeededReachesTheDesktop(FxRobot robot) throws Exception {
        robot.interact(() -> feature.importFiles(List.of(uncheck(() -> server.writeProfile("login.ovpn", "udp", "auth-user-pass\n")))));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#connect");
        await("sign-in dialog", () -> robot.lookup("#login-dialog").tryQuery().isPresent());
        await("notified", () -> summaries().contains("Sign-in needed: login"));
        SessionBus.Received r = bus.received().getFirst();
        assertEquals("Enter your username and password to connect.", r.body());
        assertEquals(1, r.urgency());
        robot.clickOn(robot.lookup("#login-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.CANCEL));
    }

    /**
     * Issue 12: a profile whose certificate expires within 30 days is announced on the desktop once, and the client
     * face shows it in the window while that profile is selected; one valid for 30 days is not.
     */
    @Test
    void aCertificateAboutToExpireReachesTheDesktopAndTheWindow(FxRobot robot) throws Exception {
        robot.interact(() -> feature.importFiles(List.of(uncheck(() -> server.writeProfile("fine.ovpn", "udp", "")),
                uncheck(() -> server.writeProfile("soon.ovpn", "udp", "", java.time.Duration.ofDays(9).plusHours(1))))));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitForFxEvents();

        await("notified", () -> summaries().contains("Certificate about to expire: soon"));
        String date = java.time.LocalDate.ofInstant(java.time.Instant.now().plus(java.time.Duration.ofDays(9).plusHours(1)),
                java.time.ZoneId.systemDefault()).toString();
        String text = "The certificate of this profile expires on " + date
                + " (9 days left). Ask your VPN administrator for a new profile.";
        assertEquals(text, bus.received().getFirst().body());
        assertEquals(2, bus.received().getFirst().urgency());
        select(robot, "soon");
        await("the banner", () -> text.equals(robot.lookup("#cert-expiry-message").queryAs(Label.class).getText())
                && robot.lookup("#cert-expiry").query().isVisible());
        select(robot, "fine");
        await("no banner for a certificate valid for 30 days", () -> !robot.lookup("#cert-expiry").query().isVisible());
        robot.interact(() -> feature.importFiles(List.of(uncheck(() -> server.writeProfile("other.ovpn", "udp", "")))));
        await("import report", () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup("#import-report-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        await("the list is read again", () -> robot.lookup("#profiles").queryListView().getItems().size() == 3);
        Thread.sleep(500);
        assertEquals(List.of("Certificate about to expire: soon"), summaries(), "once per profile");
    }

    private static void select(FxRobot robot, String profile) throws TimeoutException {
        var list = robot.lookup("#profiles").queryListView();
        await("profile " + profile, () -> list.getItems().stream()
                .anyMatch(p -> ((io.culvert.engine.api.ProfileSummary) p).name().equals(profile)));
        robot.interact(() -> list.getItems().stream()
                .filter(p -> ((io.culvert.engine.api.ProfileSummary) p).name().equals(profile)).findFirst()
                .ifPresent(p -> list.getSelectionModel().select(p)));
        WaitForAsyncUtils.waitForFxEvents();
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
