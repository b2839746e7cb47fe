package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.FlowEdge.Kind;
import io.culvert.engine.api.InstanceInfo;
import java.time.Instant;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The topology's instance panel shows rates in the app's one family (bit/s, as the client's status and the server's
 * table do) and byte totals in binary units (issue 12).
 */
@ExtendWith(ApplicationExtension.class)
class InstanceRatesTest {
    private static final long SECOND = 1_000_000_000L;
    private final TopologyModel model = new TopologyModel();
    private InstancePanel panel;

    @Start
    void start(Stage stage) {
        panel = new InstancePanel(Messages.of("topology"), peer -> { }, () -> { });
        stage.setScene(new Scene(new StackPane(panel), 600, 400));
        stage.show();
    }

    private static TopologySnapshot snapshot(long nanos, long in, long out) {
        InstanceInfo alice = InstanceInfo.builder(1, "alice").realAddress("198.51.100.1:40000")
                .virtualAddresses(List.of("10.8.0.3")).cipher("AES-256-GCM").connectedSince(Instant.EPOCH).bytes(in, out)
                .build();
        return new TopologySnapshot(nanos, "203.0.113.1:1194/udp", List.of(alice),
                List.of(new FlowEdge(1, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, 0, in)));
    }

    @Test
    void ratesReadInBitsPerSecondAndTotalsInBinaryUnits(FxRobot robot) {
        robot.interact(() -> {
            model.apply(snapshot(10 * SECOND, 0, 0));
            // 1 000 000 bytes in and 250 000 out over two seconds: 500 000 and 125 000 bytes a second
            model.apply(snapshot(12 * SECOND, 1_000_000, 250_000));
            panel.show(model.node(1));
        });
        assertEquals("4.00 Mbit/s / 1.00 Mbit/s", robot.lookup("#topology-instance-rate").queryAs(Label.class).getText());
        assertEquals("976.6 KiB / 244.1 KiB", robot.lookup("#topology-instance-totals").queryAs(Label.class).getText());
    }
}
