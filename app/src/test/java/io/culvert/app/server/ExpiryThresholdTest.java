package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.common.FxWait;
import io.culvert.app.common.SessionBus;
import io.culvert.app.common.Theme;
import io.culvert.app.shell.MainWindow;
import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * One expiry threshold (30 days, {@code CertificateExpiry.WARN_WITHIN}): the Clients table says "expires soon" exactly
 * when the desktop is told the certificate is about to expire. Twenty days ahead — inside 30 days, outside the 14 the
 * notifications used to wait for — both say so; 31 days ahead neither does. A real session D-Bus with a recording
 * notification server (a dbus-daemon this test starts); the app's clock is fixed.
 */
@ExtendWith(ApplicationExtension.class)
class ExpiryThresholdTest {
    private SessionBus bus;
    private Path dir;
    private ExecutorService background;
    private AppContext ctx;
    private Stage stage;
    private ServerManagerFeature feature;
    private Instant notAfter;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        bus = SessionBus.start().withNotificationServer();
        dir = Files.createTempDirectory("culvert-expiry-threshold");
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        LocalServerAdmin admin = LocalServerAdmin.open(engine, dir.resolve("servers"), InstantSource.system());
        admin.create(ServerSpec.defaults("office", "vpn.example.com"));
        ClientCertificate alice = admin.issueClient("office", "alice");
        admin.issueClient("office", "mallory");
        admin.revoke("office", "mallory");
        notAfter = alice.notAfter();
        background = Executors.newVirtualThreadPerTaskExecutor();
        ctx = new AppContext(engine, dir, background, LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system()),
                admin);
        Theme.LIGHT.apply();
        stage.setScene(new Scene(new javafx.scene.layout.Pane(), 400, 300));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (feature != null) {
                feature.shutdown();
            }
            background.shutdownNow();
            bus.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The server manager with its clock {@code ahead} before alice's certificate expires, on the Clients tab. */
    private void open(FxRobot robot, Duration ahead) throws Exception {
        Instant now = notAfter.minus(ahead).minus(Duration.ofHours(1));
        robot.interact(() -> {
            feature = new ServerManagerFeature(ctx, InstantSource.fixed(now));
            stage.setScene(new Scene(new MainWindow(List.of(feature), null).root(), 1100, 760));
        });
        robot.clickOn("#tab-clients");
        FxWait.until("alice in the table", 30, () -> statusOf(robot, "alice") != null);
        // the check for expiring certificates has run once the face has read them (it runs again here to know when)
        WaitForAsyncUtils.asyncFx(() -> feature.viewModel().checkExpiring()).get().get(30, TimeUnit.SECONDS);
    }

    /** The Status cell of {@code cn}'s row as the table draws it, or null while there is no such row. */
    private static String statusOf(FxRobot robot, String cn) {
        for (var node : robot.lookup("#clients-table .table-row-cell").queryAll()) {
            List<String> cells = ((TableRow<?>) node).getChildrenUnmodifiable().stream().filter(TableCell.class::isInstance)
                    .map(c -> ((TableCell<?, ?>) c).getText()).toList();
            if (!cells.isEmpty() && cn.equals(cells.getFirst()) && cells.stream().allMatch(Objects::nonNull)) {
                return cells.getLast();
            }
        }
        return null;
    }

    private static String rows(FxRobot robot) {
        StringBuilder b = new StringBuilder();
        for (var node : robot.lookup(".table-row-cell").queryAll()) {
            b.append(node.isVisible()).append(' ').append(((TableRow<?>) node).getItem()).append(' ')
                    .append(((TableRow<?>) node).getChildrenUnmodifiable().stream().filter(TableCell.class::isInstance)
                    .map(c -> ((TableCell<?, ?>) c).getText()).toList()).append('\n');
        }
        return b.toString();
    }

    @Test
    void twentyDaysAheadTheTableAndTheDesktopBothSayItExpiresSoon(FxRobot robot) throws Exception {
        open(robot, Duration.ofDays(20));
        assertEquals("expires soon", statusOf(robot, "alice"), () -> rows(robot));
        assertTrue(statusOf(robot, "mallory").startsWith("revoked "), statusOf(robot, "mallory"));
        FxWait.until("notified", 30, () -> !bus.received().isEmpty());
        assertEquals("Client certificates about to expire: office", bus.received().getFirst().summary());
        assertTrue(bus.received().getFirst().body().startsWith("alice expires on ")
                && bus.received().getFirst().body().endsWith("(20 days left)"), bus.received().getFirst().body());
        javafx.scene.control.Label banner = robot.lookup("#clients-expiring").queryAs(javafx.scene.control.Label.class);
        assertTrue(banner.getText().contains("alice expires on ") && banner.getParent().isVisible(), banner.getText());
    }

    @Test
    void thirtyOneDaysAheadNeitherDoes(FxRobot robot) throws Exception {
        open(robot, Duration.ofDays(31));
        assertEquals("valid", statusOf(robot, "alice"));
        assertEquals(List.of(), feature.viewModel().expiring());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), bus.received(), "nothing to announce");
        javafx.scene.control.Label banner = robot.lookup("#clients-expiring").queryAs(javafx.scene.control.Label.class);
        assertEquals("", banner.getText(), "no banner");
        assertTrue(!banner.getParent().isVisible(), "no banner");
    }
}
