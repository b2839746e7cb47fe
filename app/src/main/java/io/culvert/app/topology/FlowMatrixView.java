package io.culvert.app.topology;

import io.culvert.app.common.Formats;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.FlowEdge;
import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;

/**
 * The pairwise flow matrix as three heatmaps, one per kind of flow that travels (rows send, columns receive; the
 * server first), each in its kind's colour with a logarithmic scale. In the client-to-client heatmap a pair the
 * server's pair policy denied is marked in {@link Palette#DENIED} with its count of dropped packets. Redrawn when the
 * model changes, not every frame. Hover a cell for its rate (or what was denied). FX thread only.
 */
final class FlowMatrixView extends Pane {
    private static final double LABEL_WIDTH = 58;
    private static final double TITLE_HEIGHT = 22;
    private static final double COLUMN_LABELS = 16;
    private static final double GAP = 14;
    private static final double MAX_CELL = 26;
    /** The heatmaps; {@link FlowEdge.Kind#DENIED} is marked on the client-to-client one instead. */
    private static final FlowEdge.Kind[] KINDS = {FlowEdge.Kind.UNICAST_VIA_SERVER, FlowEdge.Kind.CLIENT_TO_CLIENT,
            FlowEdge.Kind.BROADCAST};
    private final Font markFont = Font.font("System", FontWeight.BOLD, 9.5);

    private final Canvas canvas = new Canvas();
    private final Messages messages;
    private final Tooltip tip = new Tooltip();
    private final Font titleFont = Font.font("System", FontWeight.BOLD, 12);
    private final Font labelFont = Font.font("System", 10.5);
    private TopologyModel model;
    private double cell;
    private double[] panelTop = new double[KINDS.length];

    FlowMatrixView(Messages messages) {
        this.messages = messages;
        setId("topology-matrix");
        getChildren().add(canvas);
        canvas.widthProperty().bind(widthProperty());
        canvas.heightProperty().bind(heightProperty());
        canvas.widthProperty().addListener(o -> redraw());
        canvas.heightProperty().addListener(o -> redraw());
        tip.setShowDelay(Duration.millis(120));
        canvas.setOnMouseMoved(e -> hover(e.getX(), e.getY(), e.getScreenX(), e.getScreenY()));
        canvas.setOnMouseExited(e -> tip.hide());
        setMinSize(200, 200);
    }

    void show(TopologyModel m) {
        model = m;
        redraw();
    }

    void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(Palette.BACKGROUND_EDGE);
        g.fillRect(0, 0, w, h);
        if (model == null) {
            return;
        }
        FlowMatrix m = model.matrix();
        List<Integer> endpoints = m.endpoints();
        int count = endpoints.size();
        boolean labels = count <= 24;
        double left = labels ? LABEL_WIDTH : 8;
        double perPanel = (h - KINDS.length * (TITLE_HEIGHT + (labels ? COLUMN_LABELS : 0) + GAP)) / KINDS.length;
        cell = Math.max(0.5, Math.min(MAX_CELL, Math.min((w - left - 8) / count, perPanel / count)));
        double y = 6;
        for (int k = 0; k < KINDS.length; k++) {
            FlowEdge.Kind kind = KINDS[k];
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.TOP);
            g.setFont(titleFont);
            g.setFill(Palette.of(kind));
            g.fillText(messages.get("kind." + kind.name().toLowerCase(Locale.ROOT)), 8, y);
            g.setFont(labelFont);
            g.setFill(Palette.TEXT_DIM);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(messages.get("matrix.peak", Formats.rate(m.maxBytesPerSecond(kind))), w - 8, y + 1);
            y += TITLE_HEIGHT;
            if (labels) {
                g.setTextAlign(TextAlignment.CENTER);
                // Columns by initial (as on the graph's markers) unless there is room for more.
                int chars = cell >= 30 ? 3 : 1;
                for (int c = 0; c < count; c++) {
                    String label = shortName(endpoints.get(c), chars);
                    g.fillText(chars == 1 ? label.toUpperCase(Locale.ROOT) : label, left + c * cell + cell / 2, y);
                }
                y += COLUMN_LABELS;
            }
            panelTop[k] = y;
            if (cell >= 4) {
                g.setFill(Color.web("#1e293b", 0.7));
                for (int r = 0; r < count; r++) {
                    for (int c = 0; c < count; c++) {
                        g.fillRect(left + c * cell + 0.5, y + r * cell + 0.5, cell - 1, cell - 1);
                    }
                }
            } else {
                g.setFill(Color.web("#1e293b", 0.7));
                g.fillRect(left, y, count * cell, count * cell);
            }
            double max = Math.max(m.maxBytesPerSecond(kind), 1);
            Color colour = Palette.of(kind);
            for (FlowMatrix.Cell c : m.cells()) {
                if (c.kind() != kind) {
                    continue;
                }
                double intensity = 0.18 + 0.82 * Math.log1p(c.bytesPerSecond()) / Math.log1p(max);
                g.setFill(colour.deriveColor(0, 1, 1, Math.min(1, intensity)));
                double inset = cell >= 4 ? 0.5 : 0;
                g.fillRect(left + c.column() * cell + inset, y + c.row() * cell + inset, Math.max(cell - 2 * inset, 0.8),
                        Math.max(cell - 2 * inset, 0.8));
            }
            if (kind == FlowEdge.Kind.CLIENT_TO_CLIENT) {
                markDenied(g, m, left, y);
            }
            if (labels) {
                g.setTextAlign(TextAlignment.RIGHT);
                g.setTextBaseline(VPos.CENTER);
                g.setFill(Palette.TEXT_DIM);
                for (int r = 0; r < count; r++) {
                    g.fillText(shortName(endpoints.get(r), 8), left - 6, y + r * cell + cell / 2);
                }
            }
            y += count * cell + GAP;
        }
    }

    /** Each denied pair: its cell filled in the denied colour, with the count when the cell has room for it. */
    private void markDenied(GraphicsContext g, FlowMatrix m, double left, double top) {
        double inset = cell >= 4 ? 0.5 : 0;
        for (FlowMatrix.Denied d : m.denied()) {
            double x = left + d.column() * cell;
            double y = top + d.row() * cell;
            g.setFill(Palette.DENIED);
            g.fillRect(x + inset, y + inset, Math.max(cell - 2 * inset, 0.8), Math.max(cell - 2 * inset, 0.8));
            if (cell >= 14) {
                g.setFill(Color.WHITE);
                g.setFont(markFont);
                g.setTextAlign(TextAlignment.CENTER);
                g.setTextBaseline(VPos.CENTER);
                g.fillText(Formats.count(d.packets()), x + cell / 2, y + cell / 2, cell - 2);
            }
        }
    }

    /** The tooltip's text as last set by hovering (for tests). */
    String hoverText() {
        return tip.getText();
    }

    /** The side of a cell as last drawn, in pixels (for tests). */
    double cellSize() {
        return cell;
    }

    /** Where the cells begin on the left, as last drawn (for tests). */
    double left() {
        return model == null || model.matrix().endpoints().size() <= 24 ? LABEL_WIDTH : 8;
    }

    /** The top of a heatmap's cells, as last drawn (for tests). */
    double panelTop(FlowEdge.Kind kind) {
        for (int k = 0; k < KINDS.length; k++) {
            if (KINDS[k] == kind) {
                return panelTop[k];
            }
        }
        throw new IllegalArgumentException(kind + " has no heatmap");
    }

    private String shortName(int endpoint, int max) {
        String name = name(endpoint);
        return name.length() <= max ? name : name.substring(0, max);
    }

    private String name(int endpoint) {
        if (endpoint == FlowEdge.SERVER) {
            return messages.get("matrix.server");
        }
        if (model == null) {
            return "#" + endpoint;
        }
        NodeState n = model.node(endpoint);
        return n == null ? "#" + endpoint : n.info().commonName();
    }

    private void hover(double x, double y, double screenX, double screenY) {
        if (model == null || cell <= 0) {
            return;
        }
        FlowMatrix m = model.matrix();
        int count = m.endpoints().size();
        double left = count <= 24 ? LABEL_WIDTH : 8;
        for (int k = 0; k < KINDS.length; k++) {
            int row = (int) Math.floor((y - panelTop[k]) / cell);
            int col = (int) Math.floor((x - left) / cell);
            if (y >= panelTop[k] && row < count && x >= left && col < count) {
                FlowMatrix.Cell c = m.cell(row, col, KINDS[k]);
                FlowMatrix.Denied denied = KINDS[k] == FlowEdge.Kind.CLIENT_TO_CLIENT ? m.denied(row, col) : null;
                String from = name(m.endpoints().get(row));
                String to = name(m.endpoints().get(col));
                tip.setText(denied != null
                        ? messages.get("matrix.denied", from, to, Long.toString(denied.packets()))
                        : messages.get("matrix.cell", from, to,
                                messages.get("kind." + KINDS[k].name().toLowerCase(Locale.ROOT)),
                                Formats.rate(c == null ? 0 : c.bytesPerSecond()),
                                Formats.packets(c == null ? 0 : c.packetsPerSecond())));
                tip.show(canvas, screenX + 14, screenY + 14);
                return;
            }
        }
        tip.hide();
    }
}
