package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.app.AppContext;
import io.culvert.app.common.FxWait;
import io.culvert.app.common.Messages;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.scene.Scene;
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
 * Issue 12: the server manager announces client certificates it issued that expire within 30 days, over a real
 * session D-Bus (a dbus-daemon this test starts, with a recording notification server), once per certificate, and
 * shows them in the face; a revoked certificate is not announced. The app's clock is set nine days before the
 * certificates' notAfter.
 */
@ExtendWith(ApplicationExtension.class)
class ServerExpiryNotificationsTest {
    private static final Messages M = Messages.of("server");
    private SessionBus bus;
    private Path dir;
    private ExecutorService background;
    private LocalServerAdmin admin;
    private ServerManagerFeature feature;
    private Instant notAfter;
    private Instant now;

    @Start
    void start(Stage stage) throws Exception {
        bus = SessionBus.start().withNotificationServer();
        dir = Files.createTempDirectory("culvert-server-expiry");
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        admin = LocalServerAdmin.open(engine, dir.resolve("servers"), InstantSource.system());
        admin.create(ServerSpec.defaults("office", "vpn.example.com"));
        ClientCertificate alice = admin.issueClient("office", "alice");
        admin.issueClient("office", "mallory");
        admin.revoke("office", "mallory");
        notAfter = alice.notAfter();
        now = notAfter.minus(Duration.ofDays(9)).minus(Duration.ofHours(1));
        background = Executors.newVirtualThreadPerTaskExecutor();
        AppContext ctx = new AppContext(engine, dir, background,
                LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system()), admin);
        Theme.LIGHT.apply();
        feature = new ServerManagerFeature(ctx, InstantSource.fixed(now));
        stage.setScene(new Scene(new MainWindow(List.of(feature), null).root(), 1100, 760));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            feature.shutdown();
            background.shutdownNow();
            bus.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void clientCertificatesAboutToExpireReachTheDesktopOnceAndTheFace(FxRobot robot) throws Exception {
        String line = "alice expires on " + LocalDate.ofInstant(notAfter, ZoneId.systemDefault()) + " (9 days left)";
        FxWait.until("notified", 30, () -> !bus.received().isEmpty());
        SessionBus.Received r = bus.received().getFirst();
        assertEquals("Client certificates about to expire: office", r.summary());
        assertEquals(line, r.body());
        assertEquals(2, r.urgency());
        FxWait.until("the face shows it", 30, () -> robot.lookup("#clients-expiring").tryQuery()
                .map(n -> ((Label) n).getText().equals(M.get("clients.expiring", line)) && n.isVisible()).orElse(false));

        // Reading the certificates again (as every reload of a server's clients does) does not announce alice twice.
        java.util.concurrent.CompletableFuture<?> again = WaitForAsyncUtils.asyncFx(() -> feature.viewModel().checkExpiring()).get();
        again.get(30, java.util.concurrent.TimeUnit.SECONDS);
        Thread.sleep(500);
        assertEquals(List.of("Client certificates about to expire: office"),
                bus.received().stream().map(SessionBus.Received::summary).toList(), "once per certificate");
    }
}
