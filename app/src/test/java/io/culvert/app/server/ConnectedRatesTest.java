package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TableCell;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The connected-clients table shows rates in the app's one family (bit/s, as the client's status and the topology do)
 * and byte totals in binary units (issue 12).
 */
@ExtendWith(ApplicationExtension.class)
class ConnectedRatesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private Path dir;
    private LocalServerAdmin admin;
    private ExecutorService background;
    private ServerManagerViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("culvert-connected-rates");
        admin = LocalServerAdmin.open(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()), dir, InstantSource.system());
        background = Executors.newVirtualThreadPerTaskExecutor();
        Messages m = Messages.of("server");
        vm = new ServerManagerViewModel(admin, background, Platform::runLater, c -> null, InstantSource.system(), m);
        stage.setScene(new Scene(new StackPane(new ConnectedPane(vm, m, InstantSource.fixed(T0.plusSeconds(2))).root()), 1000, 400));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        background.shutdownNow();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static InstanceInfo alice(long in, long out) {
        return InstanceInfo.builder(1, "alice").realAddress("127.0.0.1:40001").virtualAddresses(List.of("10.8.0.3"))
                .cipher("AES-256-GCM").connectedSince(T0).bytes(in, out).build();
    }

    @Test
    void ratesReadInBitsPerSecondAndTotalsInBinaryUnits(FxRobot robot) {
        robot.interact(() -> {
            vm.instances().apply(List.of(alice(0, 0)), T0);
            // 1 000 000 bytes in and 250 000 out over two seconds: 500 000 and 125 000 bytes a second
            vm.instances().apply(List.of(alice(1_000_000, 250_000)), T0.plusSeconds(2));
        });
        WaitForAsyncUtils.waitForFxEvents();
        List<String> cells = robot.lookup("#connected-table .table-cell").queryAllAs(TableCell.class).stream()
                .map(c -> c.getText() == null ? "" : c.getText()).filter(t -> !t.isEmpty()).toList();
        for (String expected : List.of("alice", "4.00 Mbit/s", "1.00 Mbit/s", "976.6 KiB", "244.1 KiB")) {
            assertTrue(cells.contains(expected), expected + " in " + cells);
        }
    }
}
