package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionInfo.FailedRoute;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
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

/** The status tab names the routes the system refused, each with its reason, next to the ones it installed. */
@ExtendWith(ApplicationExtension.class)
class StatusPaneTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final ConnectionModel model = new ConnectionModel();

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(new StatusPane(model, Messages.of("client")).root()), 900, 600));
        stage.show();
    }

    private void connect(FxRobot robot, List<FailedRoute> failed) {
        robot.interact(() -> {
            model.starting("office");
            model.onEvent(new EngineEvent.Connected(T0, new ConnectionInfo("192.0.2.1:1194/udp", "tun0", "10.8.0.2/24", null,
                    "AES-256-GCM", "TLSv1.3", List.of("10.9.0.0/16"), List.of(), failed)));
            model.onEvent(new EngineEvent.StateChanged(T0, ConnectionState.CONNECTED, null, ""));
        });
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void failedRoutesAreListedWithTheirReasons(FxRobot robot) {
        connect(robot, List.of(new FailedRoute("10.8.0.0/24 via 10.8.0.1 dev tun0", "RTNETLINK answers: File exists", true),
                new FailedRoute("10.10.0.0/24 via 10.8.9.9 dev tun0", "RTNETLINK answers: Network is unreachable", false)));
        assertEquals("10.9.0.0/16", text(robot, "#status-routes"));
        assertEquals("10.8.0.0/24 via 10.8.0.1 dev tun0 \u2014 RTNETLINK answers: File exists\n"
                + "10.10.0.0/24 via 10.8.9.9 dev tun0 \u2014 RTNETLINK answers: Network is unreachable",
                text(robot, "#status-failedRoutes"));
    }

    @Test
    void noFailedRouteShowsADash(FxRobot robot) {
        connect(robot, List.of());
        assertEquals("\u2014", text(robot, "#status-failedRoutes"));
    }
}
