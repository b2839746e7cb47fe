package io.culvert.app.topology;

import io.culvert.engine.api.PathCheck;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * A path check drawn on the graph: A → server → B highlighted, the hop where the first fault is in red with the
 * fault's words beside it. Instances are named by common name, so a client that reconnects under a new peer-id keeps
 * its highlight. FX thread (it measures its words once, on the first frame).
 */
final class PathHighlight {
    static final Color PATH = Color.web("#34d399");
    static final Color FAULT = Palette.DENIED;
    static final double WIDTH = 5;
    /** How far outside the hub's disc the ring marking a fault in the server's own router is drawn. */
    static final double RING_GAP = 8;
    private static final Font WORDS_FONT = Font.font("System", FontWeight.BOLD, 11.5);
    private static final double WORDS_WIDTH = 260;
    private final String from;
    private final String to;
    private final PathCheck.Hop fault;
    private final String words;
    private String wrapped;
    private double wordsWidth;
    private double wordsHeight;

    /**
     * @param from A's common name
     * @param to B's common name
     * @param fault where the first fault is, or null when the path works
     * @param words the fault's sentence, or the summary when the path works
     */
    PathHighlight(String from, String to, PathCheck.Hop fault, String words) {
        this.from = from;
        this.to = to;
        this.fault = fault;
        this.words = words;
    }

    String from() {
        return from;
    }

    String to() {
        return to;
    }

    /** Where the first fault is, or null when the path works. */
    PathCheck.Hop fault() {
        return fault;
    }

    String words() {
        return words;
    }

    static PathHighlight of(PathCheck check) {
        return check.answer()
                .map(s -> new PathHighlight(check.from(), check.to(), s.hop(), s.words()))
                .orElseGet(() -> new PathHighlight(check.from(), check.to(), null, check.summary()));
    }

    /** Draws the highlight above everything else, if both instances are on the graph. FX thread. */
    void draw(GraphicsContext g, TopologyModel model, Camera cam) {
        NodeState a = present(model, from);
        NodeState b = present(model, to);
        if (a == null || b == null) {
            return;
        }
        double hx = cam.screenX(0);
        double hy = cam.screenY(0);
        double ax = cam.screenX(a.x());
        double ay = cam.screenY(a.y());
        double bx = cam.screenX(b.x());
        double by = cam.screenY(b.y());
        boolean sourceFails = fault == PathCheck.Hop.SOURCE;
        boolean targetFails = fault == PathCheck.Hop.TARGET || fault == PathCheck.Hop.OUTSIDE;
        g.save();
        g.setGlobalAlpha(1);
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineWidth(WIDTH);
        g.setLineDashes();
        double ring = ringRadius(cam);
        double node = TopologyRenderer.nodeRadius(model.presentCount(), cam.zoom()) + 2;
        g.setStroke(sourceFails ? FAULT : PATH);
        between(g, ax, ay, node, hx, hy, ring - RING_GAP);
        g.setStroke(targetFails ? FAULT : PATH);
        between(g, hx, hy, ring - RING_GAP, bx, by, node);
        if (fault == PathCheck.Hop.SERVER) {
            g.setStroke(FAULT);
            g.strokeOval(hx - ring, hy - ring, 2 * ring, 2 * ring);
        }
        double wx;
        double wy;
        if (sourceFails) {
            wx = (ax + hx) / 2;
            wy = (ay + hy) / 2;
        } else if (targetFails) {
            wx = (bx + hx) / 2;
            wy = (by + hy) / 2;
        } else {
            wx = hx;
            wy = hy - ring;
        }
        g.setFont(WORDS_FONT);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        if (wrapped == null) {
            wrapped = wrap(words);
            Text measure = new Text(wrapped);
            measure.setFont(WORDS_FONT);
            wordsWidth = measure.getLayoutBounds().getWidth();
            wordsHeight = measure.getLayoutBounds().getHeight();
        }
        // The words sit above the failing hop's middle (or the hub), on a dark plate, clear of the red stroke.
        g.setFill(Color.web("#0a0f1c", 0.85));
        g.fillRoundRect(wx - wordsWidth / 2 - 6, wy - 10 - wordsHeight - 4, wordsWidth + 12, wordsHeight + 8, 8, 8);
        g.setFill(fault == null ? PATH : FAULT);
        g.fillText(wrapped, wx, wy - 10);
        g.restore();
    }

    /** A line from the edge of a disc of radius {@code r1} round (x1, y1) to the edge of one of {@code r2} round (x2, y2). */
    private static void between(GraphicsContext g, double x1, double y1, double r1, double x2, double y2, double r2) {
        double d = Math.hypot(x2 - x1, y2 - y1);
        if (d <= r1 + r2) {
            return;
        }
        double ux = (x2 - x1) / d;
        double uy = (y2 - y1) / d;
        g.strokeLine(x1 + ux * r1, y1 + uy * r1, x2 - ux * r2, y2 - uy * r2);
    }

    /** Radius of the ring drawn round the hub for a fault in the server's router. */
    static double ringRadius(Camera cam) {
        return TopologyRenderer.HUB_RADIUS * Math.clamp(Math.sqrt(cam.zoom()), 0.6, 1.5) + RING_GAP;
    }

    /** The words broken into lines the way {@code measure} wraps them (fillText does not wrap): at most {@link #WORDS_WIDTH} px a line. */
    private static String wrap(String words) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        Text probe = new Text();
        probe.setFont(WORDS_FONT);
        for (String w : words.split(" ")) {
            String next = line.isEmpty() ? w : line + " " + w;
            probe.setText(next);
            if (!line.isEmpty() && probe.getLayoutBounds().getWidth() > WORDS_WIDTH) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(w);
            } else {
                line.setLength(0);
                line.append(next);
            }
        }
        return out.append(line).toString();
    }

    private static NodeState present(TopologyModel model, String commonName) {
        for (NodeState n : model.nodes()) {
            if (n.present() && commonName.equals(n.info().commonName())) {
                return n;
            }
        }
        return null;
    }
}
