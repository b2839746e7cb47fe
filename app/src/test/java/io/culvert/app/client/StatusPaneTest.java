package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionInfo.FailedRoute;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.LinkTransport;
import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import java.util.List;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The status tab names the routes the system refused, each with its reason, next to the ones it installed; its rates
 * and its chart read in the app's one unit family (bit/s), with whole-second time ticks.
 */
@ExtendWith(ApplicationExtension.class)
class StatusPaneTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final ConnectionModel model = new ConnectionModel();

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(new StatusPane(model, new javafx.beans.property.SimpleStringProperty("office"), Messages.of("client")).root()), 900, 600));
        stage.show();
    }

    private void connect(FxRobot robot, List<FailedRoute> failed) {
        robot.interact(() -> {
            model.starting("office");
            model.onEvent(new EngineEvent.Connected(T0, ConnectionInfo.builder("192.0.2.1:1194/udp").device("tun0")
                    .ipv4("10.8.0.2/24").cipher("AES-256-GCM").tls("TLSv1.3").routes(List.of("10.9.0.0/16"))
                    .failedRoutes(failed).build()));
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

    /** The transport in use, and why the client fell back to it (issue 14), read off the status tab. */
    @Test
    void transportInUseAndWhyItFellBackAreShown(FxRobot robot) {
        connect(robot, List.of());
        assertEquals("UDP", text(robot, "#status-transport"));
        robot.interact(() -> model.onEvent(new EngineEvent.Connected(T0, ConnectionInfo.builder("wss://vpn.example.org/vpn")
                .device("tun0").ipv4("10.8.0.2/24").cipher("AES-256-GCM").tls("TLSv1.3")
                .transport(LinkTransport.WEBSOCKET, "UDP: no answer in 2 s; TCP: connection refused; using WebSocket")
                .build())));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("WebSocket \u2014 fell back: UDP: no answer in 2 s; TCP: connection refused; using WebSocket",
                text(robot, "#status-transport"));
        assertTrue(robot.lookup((Label l) -> "Transport".equals(l.getText())).tryQuery().isPresent());
    }

    /** 500 000 bytes a second: the same "4.00 Mbit/s" as the server's table and the topology (issue 12). */
    @Test
    void ratesAndTheChartAxisReadInBitsPerSecondWithWholeSecondTicks(FxRobot robot) {
        connect(robot, List.of());
        robot.interact(() -> {
            // one counter reading a second for 82 s: 500 000 B/s down, 125 000 B/s up
            for (int s = 0; s <= 82; s++) {
                model.onEvent(new EngineEvent.Traffic(T0.plusSeconds(s),
                        TrafficStats.builder().tunBytes(500_000L * s, 125_000L * s).build()));
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("\u2193 4.00 Mbit/s   \u2191 1.00 Mbit/s", text(robot, "#status-rate"));
        assertEquals("39.1 MiB", text(robot, "#status-received"));

        @SuppressWarnings("unchecked")
        AreaChart<Number, Number> chart = robot.lookup("#traffic-chart").queryAs(AreaChart.class);
        List<String> rateTicks = ticks((NumberAxis) chart.getYAxis());
        List<String> timeTicks = ticks((NumberAxis) chart.getXAxis());
        assertTrue(rateTicks.size() > 2, rateTicks::toString);
        assertTrue(rateTicks.stream().allMatch(t -> t.equals("0") || t.matches("\\d+(\\.\\d+)? (bit|kbit|Mbit|Gbit)/s")),
                "rate ticks in bit/s: " + rateTicks);
        assertTrue(rateTicks.stream().anyMatch(t -> t.endsWith(" Mbit/s")), "a 4.00 Mbit/s line is scaled in Mbit/s: " + rateTicks);
        assertTrue(timeTicks.size() > 2, timeTicks::toString);
        assertTrue(timeTicks.stream().allMatch(t -> t.matches("\\d+")), "whole seconds on the time axis: " + timeTicks);
    }

    /** The tick labels the axis shows (its Text children; the axis title is a Label). */
    private static List<String> ticks(NumberAxis axis) {
        return axis.getChildrenUnmodifiable().stream().filter(n -> n instanceof Text t && t.isVisible())
                .map(n -> ((Text) n).getText()).toList();
    }

    @Test
    void noFailedRouteShowsADash(FxRobot robot) {
        connect(robot, List.of());
        assertEquals("\u2014", text(robot, "#status-failedRoutes"));
    }
}
