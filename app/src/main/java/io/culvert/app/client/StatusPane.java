package io.culvert.app.client;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Formats;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.TrafficStats;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The connected view: server, addresses, cipher, duration, totals, and a live graph of the tunnel's rate in and out
 * over the last minutes, fed by the engine's once-a-second counters. It shows the connection only while its profile is
 * the selected one; another profile shows dashes and an empty graph, not the previous profile's numbers. FX thread
 * only.
 */
final class StatusPane {
    private final ConnectionModel c;
    private final Messages msg;
    private final VBox root = new VBox(12);
    private final SimpleObjectProperty<Instant> now = new SimpleObjectProperty<>(Instant.now());
    private final XYChart.Series<Number, Number> in = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> out = new XYChart.Series<>();
    private final NumberAxis time = new NumberAxis();
    /** The selected profile is the connection's (current or last): its numbers are shown. */
    private final BooleanBinding shown;

    /** {@code selected}: the name of the profile the face shows. */
    StatusPane(ConnectionModel connection, ObservableValue<String> selected, Messages msg) {
        this.c = connection;
        this.msg = msg;
        this.shown = Bindings.createBooleanBinding(() -> selected.getValue() != null
                && selected.getValue().equals(c.profileProperty().get()), selected, c.profileProperty());
        root.setId("status-pane");
        root.setPadding(new Insets(12, 4, 4, 4));
        root.getChildren().addAll(facts(), chart());
        Timeline clock = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> now.set(Instant.now())));
        clock.setCycleCount(Animation.INDEFINITE);
        c.connectedSinceProperty().addListener((o, a, since) -> {
            now.set(Instant.now());
            if (since == null) {
                clock.stop();
            } else {
                clock.play();
            }
        });
    }

    /**
     * The facts and the chart, scrolling up and down where a small window (or a banner above, or longer words) leaves
     * them less height than they need, instead of cutting the chart's axis off (issue 12).
     */
    Node root() {
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(root);
        scroll.setId("status-scroll");
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("edge-to-edge");
        return scroll;
    }

    /**
     * The connection's facts in two groups, side by side where they fit whole, the second under the first where
     * not (issue 12), so a cipher suite or a rate is not cut to "…".
     */
    private Node facts() {
        GridPane g = grid();
        GridPane g2 = grid();
        javafx.scene.layout.FlowPane flow = new javafx.scene.layout.FlowPane(40, 6, g, g2);
        flow.setId("status-facts");
        // A FlowPane is at least as wide as its widest child's preferred width; the groups shrink to the pane instead
        // (their values wrap, or show whole in a tooltip), so a long cipher suite does not widen the tab.
        flow.setMinWidth(0);
        g.maxWidthProperty().bind(flow.widthProperty());
        g2.maxWidthProperty().bind(flow.widthProperty());
        row(g, 0, 0, "server", info(ConnectionInfo::remote));
        row(g, 0, 1, "address", info(i -> i.ipv4() == null ? i.ipv6() : i.ipv6() == null ? i.ipv4() : i.ipv4() + "  " + i.ipv6()));
        row(g, 0, 2, "cipher", info(ConnectionInfo::cipher));
        row(g, 0, 3, "tls", info(ConnectionInfo::tls));
        row(g, 0, 4, "device", info(ConnectionInfo::device));
        row(g2, 0, 0, "duration", Bindings.createStringBinding(() -> c.connectedSinceProperty().get() == null || !shown.get()
                ? dash() : Formats.duration(Duration.between(c.connectedSinceProperty().get(), now.get())),
                c.connectedSinceProperty(), now, shown));
        row(g2, 0, 1, "received", totals(t -> Formats.bytes(t.tunBytesIn())));
        row(g2, 0, 2, "sent", totals(t -> Formats.bytes(t.tunBytesOut())));
        row(g2, 0, 3, "rate", Bindings.createStringBinding(() -> {
            TrafficHistory.Sample s = c.lastSampleProperty().get();
            return s == null || c.connectedSinceProperty().get() == null || !shown.get() ? dash()
                    : msg.get("status.rate.value", Formats.rate(s.inPerSecond()), Formats.rate(s.outPerSecond()));
        }, c.lastSampleProperty(), c.connectedSinceProperty(), shown));
        row(g2, 0, 4, "routes", info(i -> i.routes().isEmpty() ? msg.get("status.routes.none") : String.join(", ", i.routes())));
        // Routes the system refused (present already, unreachable gateway): the tunnel is up without them.
        // UDP, TCP or WebSocket, and why the remotes before it were passed over (issue 14)
        row(g, 0, 5, "transport", info(i -> i.fallback().isEmpty() ? i.transport().label()
                : msg.get("status.transport.fellBack", i.transport().label(), i.fallback())));
        row(g, 0, 6, "failedRoutes", info(i -> i.failedRoutes().stream()
                .map(f -> msg.get("status.failedRoutes.item", f.route(), f.reason()))
                .collect(Collectors.joining("\n"))));
        return flow;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(24);
        g.setVgap(6);
        g.getColumnConstraints().addAll(Fit.labelColumn(), grow());
        return g;
    }

    private static ColumnConstraints grow() {
        ColumnConstraints cc = new ColumnConstraints();
        cc.setHgrow(Priority.ALWAYS);
        cc.setMinWidth(60);
        cc.setPercentWidth(-1);
        return cc;
    }

    private void row(GridPane g, int col, int row, String key, StringBinding value) {
        Label k = Fit.whole(new Label(msg.get("status." + key)));
        k.getStyleClass().add("text-muted");
        Label v = new Label();
        v.setId("status-" + key);
        v.getStyleClass().add("status-value");
        // Wraps where it has room to; a value still too long (a cipher suite) shows whole in its tooltip.
        v.setWrapText(true);
        Fit.tipped(v);
        k.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        GridPane.setValignment(k, javafx.geometry.VPos.TOP);
        GridPane.setValignment(v, javafx.geometry.VPos.TOP);
        v.textProperty().bind(value);
        g.add(k, col, row);
        g.add(v, col + 1, row);
    }

    private String dash() {
        return msg.get("status.none");
    }

    private StringBinding info(Function<ConnectionInfo, String> f) {
        return Bindings.createStringBinding(() -> {
            ConnectionInfo i = c.infoProperty().get();
            String s = i == null || !shown.get() ? null : f.apply(i);
            return s == null || s.isBlank() ? dash() : s;
        }, c.infoProperty(), shown);
    }

    private StringBinding totals(Function<TrafficStats, String> f) {
        return Bindings.createStringBinding(() -> c.totalsProperty().get() == null || !shown.get() ? dash()
                : f.apply(c.totalsProperty().get()), c.totalsProperty(), shown);
    }

    private Node chart() {
        time.setLabel(msg.get("chart.seconds"));
        time.setAutoRanging(false);
        time.setLowerBound(0);
        time.setUpperBound(60);
        time.setTickUnit(10);
        time.setForceZeroInRange(false);
        time.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return Long.toString(Math.round(n.doubleValue()));
            }

            @Override
            public Number fromString(String s) {
                return Long.parseLong(s);
            }
        });
        // Plotted in bit/s; the ticks read as every other rate in the app does ("2.5 Mbit/s").
        NumberAxis rate = new NumberAxis();
        rate.setId("traffic-rate-axis");
        rate.setLabel(msg.get("chart.rate"));
        rate.setForceZeroInRange(true);
        rate.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return Formats.bitsTick(n.doubleValue());
            }

            @Override
            public Number fromString(String s) {
                throw new UnsupportedOperationException();
            }
        });
        in.setName(msg.get("chart.in"));
        out.setName(msg.get("chart.out"));
        AreaChart<Number, Number> chart = new AreaChart<>(time, rate);
        chart.setId("traffic-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setTitle(msg.get("chart.title"));
        chart.getData().addAll(java.util.List.of(in, out));
        chart.setMinHeight(160);
        VBox.setVgrow(chart, Priority.ALWAYS);
        c.lastSampleProperty().addListener((o, a, s) -> {
            if (s != null && shown.get()) {
                append(s);
            }
        });
        c.phaseProperty().addListener((o, a, p) -> {
            if (p == ConnectionModel.Phase.CONNECTING && a != ConnectionModel.Phase.CONNECTED) {
                clearChart();
            }
        });
        // Another profile selected: an empty graph; back to the connection's profile: its history again.
        shown.addListener((o, was, is) -> {
            clearChart();
            if (is) {
                c.history().samples().forEach(this::append);
            }
        });
        return chart;
    }

    private void clearChart() {
        in.getData().clear();
        out.getData().clear();
        time.setLowerBound(0);
        time.setUpperBound(60);
        time.setTickUnit(10);
    }

    /**
     * Adds one second's rates (bit/s) and slides the time axis over the last {@value ConnectionModel#HISTORY_SECONDS}
     * s, with ticks on whole multiples of 10, 30 or 60 s.
     */
    private void append(TrafficHistory.Sample s) {
        in.getData().add(new XYChart.Data<>(s.second(), s.inPerSecond() * 8));
        out.getData().add(new XYChart.Data<>(s.second(), s.outPerSecond() * 8));
        long oldest = s.second() - ConnectionModel.HISTORY_SECONDS;
        in.getData().removeIf(d -> d.getXValue().longValue() < oldest);
        out.getData().removeIf(d -> d.getXValue().longValue() < oldest);
        long first = in.getData().isEmpty() ? 0 : in.getData().getFirst().getXValue().longValue();
        long upper = Math.max(60, s.second());
        long lower = Math.max(first, upper - ConnectionModel.HISTORY_SECONDS);
        time.setLowerBound(Math.min(lower, upper - 60));
        time.setUpperBound(upper);
        double span = upper - time.getLowerBound();
        time.setTickUnit(span <= 60 ? 10 : span <= 180 ? 30 : 60);
    }
}
