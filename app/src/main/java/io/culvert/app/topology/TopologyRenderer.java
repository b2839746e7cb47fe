package io.culvert.app.topology;

import io.culvert.app.common.Formats;
import io.culvert.app.common.Messages;
import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.RadialGradient;
import javafx.scene.paint.Stop;
import javafx.scene.shape.ArcType;
import javafx.scene.shape.FillRule;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Draws one frame of the topology on a canvas: the hub, an instance on every slot, unicast flows as two lanes per
 * spoke (up and down, width by rate, dashes moving with the traffic), client-to-client flows as violet curves
 * through the hub, broadcasts as amber pulses fanning out from the hub to every receiver, and storms in red. Only
 * primitives; labels appear when there is room for them. {@link #renderLayers} splits a frame into a base that is
 * redrawn only when it changed and a moving layer drawn every frame, so 500 instances stay cheap with software
 * rendering (ADR 0030). Not thread-safe (FX thread).
 */
final class TopologyRenderer {
    /** Instance marker radius in pixels at zoom 1 for few and for many instances. */
    static final double NODE_RADIUS = 13;
    static final double SMALL_NODE_RADIUS = 6;
    static final double HUB_RADIUS = 30;
    static final long APPEAR_NANOS = 500_000_000L;
    private static final double PULSE_SECONDS = 1.2;
    private static final double PULSE_HUB = 0.3;
    static final int LABEL_LIMIT = 64;
    private static final int DASH_LIMIT = 160;
    private static final int C2C_LIMIT = 60;
    /** How far beside the hub's centre client-to-client paths cross it, in pixels. */
    private static final double C2C_SWING = 9;
    /** Length of the client-to-client path's tangent at the hub, in pixels. */
    private static final double C2C_TANGENT = 90;
    /** With many instances, the share of a spoke (from the instance inward) that shows its unicast rate. */
    private static final double STUB = 0.3;
    /** With many instances flows are drawn thinner, so they stay apart. */
    private static final double MANY_WIDTH = 0.55;
    private static final int FAN_LIMIT = 48;
    /** The box under the hub with its caption. */
    private static final double CAPTION_WIDTH = 184;
    private static final double CAPTION_HEIGHT = 52;
    /** Length of one arc of a broadcast wave, in pixels (see {@link #wave}). */
    private static final double WAVE_ARC = 80;

    private final Font nameFont = Font.font("System", FontWeight.BOLD, 12.5);
    private final Font detailFont = Font.font("Monospaced", 11);
    private final Font smallFont = Font.font("System", 10.5);
    private final Font hubFont = Font.font("System", FontWeight.BOLD, 13);
    private final Font letterFont = Font.font("System", FontWeight.BOLD, 12);
    private final Font bannerFont = Font.font("System", FontWeight.BOLD, 13);
    private final Messages messages;
    private double[] sx = new double[0];
    private double[] sy = new double[0];
    private double[] scale = new double[0];
    /** Screen position of each instance's hub, for this frame. */
    private double[] hsx = new double[0];
    private double[] hsy = new double[0];
    private WritableImage backdrop;
    private final StrokeBatch spokes = new StrokeBatch(1);
    private final StrokeBatch lanes = new StrokeBatch(1.5);
    private final StrokeBatch curves = new StrokeBatch(1.5);
    private final StrokeBatch fan = new StrokeBatch(1);
    /** What the base layer was last drawn for, or null to draw it again (see {@link #renderLayers}). */
    private BaseKey baseDrawnFor;
    /** The base layer was last drawn while an instance appeared or left: draw it again next frame too. */
    private boolean baseAnimating;

    /** Everything the base layer's pixels depend on, besides the time while instances appear or leave. */
    private record BaseKey(long version, double width, double height, double zoom, double hubX, double hubY, int hovered,
            int selected, int nodes) {}

    TopologyRenderer(Messages messages) {
        this.messages = messages;
    }

    /** Radius of an instance marker on screen. */
    static double nodeRadius(int instances, double zoom) {
        double base = instances > LABEL_LIMIT ? SMALL_NODE_RADIUS : NODE_RADIUS;
        return base * Math.clamp(Math.sqrt(zoom), 0.55, 1.6);
    }

    /** Draws a whole frame on one canvas: the base and, above it, what moves. */
    void render(GraphicsContext g, double width, double height, TopologyModel model, Camera cam, long nowNanos,
            int hovered, int selected) {
        renderBase(g, width, height, model, cam, nowNanos, hovered, selected);
        renderMoving(g, width, height, model, cam, nowNanos, hovered, selected, false);
    }

    /**
     * Draws a frame on two stacked canvases: {@code base} (opaque) again only when what it shows changed (a new
     * snapshot, the camera, the size, hover or selection, or an instance appearing or leaving), {@code moving}
     * (transparent, above it) every frame. Returns true if the base was redrawn. With software rendering a canvas
     * that received no drawing keeps its rasterised texture, so a frame costs only the moving parts.
     */
    boolean renderLayers(GraphicsContext base, GraphicsContext moving, double width, double height, TopologyModel model,
            Camera cam, long nowNanos, int hovered, int selected) {
        boolean animating = false;
        for (NodeState s : model.nodes()) {
            if (!s.present() || nowNanos - s.appearedNanos() < APPEAR_NANOS) {
                animating = true;
                break;
            }
        }
        BaseKey key = new BaseKey(model.version(), width, height, cam.zoom(), cam.screenX(0), cam.screenY(0), hovered,
                selected, model.nodes().size());
        boolean redraw = animating || baseAnimating || !key.equals(baseDrawnFor);
        if (redraw) {
            renderBase(base, width, height, model, cam, nowNanos, hovered, selected);
            baseAnimating = animating;
            baseDrawnFor = key;
        }
        renderMoving(moving, width, height, model, cam, nowNanos, hovered, selected, true);
        return redraw;
    }

    /** Forgets the base layer, so the next {@link #renderLayers} draws it again. */
    void invalidate() {
        baseDrawnFor = null;
    }

    /** Screen positions and appearance of every instance, for this frame. */
    private List<NodeState> place(TopologyModel model, Camera cam, long nowNanos) {
        List<NodeState> nodes = List.copyOf(model.nodes());
        int n = nodes.size();
        if (sx.length < n) {
            sx = new double[n * 2];
            sy = new double[n * 2];
            scale = new double[n * 2];
            hsx = new double[n * 2];
            hsy = new double[n * 2];
        }
        for (int i = 0; i < n; i++) {
            NodeState s = nodes.get(i);
            sx[i] = cam.screenX(s.x());
            sy[i] = cam.screenY(s.y());
            hsx[i] = cam.screenX(s.hubX());
            hsy[i] = cam.screenY(s.hubY());
            scale[i] = appearance(s, nowNanos);
        }
        return nodes;
    }

    /**
     * Everything that holds still between snapshots: backdrop, rings, spokes, the unicast and client-to-client flows
     * (without their moving dashes), a storm's paths, the instances and their labels (but a storming instance's).
     */
    private void renderBase(GraphicsContext g, double width, double height, TopologyModel model, Camera cam, long nowNanos,
            int hovered, int selected) {
        background(g, width, height, model, cam);
        int count = model.presentCount();
        double radius = nodeRadius(count, cam.zoom());
        boolean dashes = count <= DASH_LIMIT;
        List<NodeState> nodes = place(model, cam, nowNanos);
        int n = nodes.size();
        g.setLineCap(StrokeLineCap.ROUND);
        // Spokes: every instance hangs on the hub (batched into one stroke). With many instances they would only
        // cost time and bury the hub; the rate stubs point at it instead.
        g.setLineWidth(1);
        g.setStroke(Palette.SPOKE);
        for (int i = 0; i < n && dashes; i++) {
            if (scale[i] > 0.02 && (scale[i] < 0.999 || !nodes.get(i).present())) {
                g.setGlobalAlpha(Math.min(1, scale[i]));
                g.strokeLine(hsx[i], hsy[i], sx[i], sy[i]);
            } else if (scale[i] > 0.02) {
                spokes.line(1, hsx[i], hsy[i], sx[i], sy[i]);
            }
        }
        g.setGlobalAlpha(1);
        spokes.flush(g, Palette.SPOKE);
        for (int i = 0; i < n; i++) {
            unicast(g, nodes.get(i), hsx[i], hsy[i], sx[i], sy[i], scale[i], 0, dashes, false);
        }
        lanes.flush(g, Palette.UNICAST.deriveColor(0, 1, 1, 0.55));
        clientToClient(g, model, cam, 0, dashes, false);
        betweenServers(g, model, cam, 0, dashes, false);
        stormPaths(g, model, cam);
        for (TopologyModel.Hub h : model.hubs()) {
            hub(g, h, cam.screenX(h.x()), cam.screenY(h.y()), cam.zoom());
        }
        if (count > LABEL_LIMIT) {
            markers(g, nodes, n, radius, hovered, selected);
        }
        nodes(g, nodes, n, width, height, count, radius, cam, 0, hovered, selected, false);
        stormBanner(g, model, width, 0, false);
    }

    /**
     * What moves every frame, on a transparent layer: the dashes of the flows (when there are few instances), the
     * hub's breathing glow, broadcast pulses, storming instances and the storm banner's pulsing edge. No text but a
     * storming instance's: laying out text every frame is what software rendering pays most for after large shapes.
     */
    private void renderMoving(GraphicsContext g, double width, double height, TopologyModel model, Camera cam, long nowNanos,
            int hovered, int selected, boolean clear) {
        double t = (nowNanos % 1_000_000_000_000L) / 1e9;
        if (clear) {
            g.clearRect(0, 0, width, height);
        }
        int count = model.presentCount();
        double radius = nodeRadius(count, cam.zoom());
        boolean dashes = count <= DASH_LIMIT;
        List<NodeState> nodes = place(model, cam, nowNanos);
        int n = nodes.size();
        g.setLineCap(StrokeLineCap.ROUND);
        for (TopologyModel.Hub h : model.hubs()) {
            hubGlow(g, cam.screenX(h.x()), cam.screenY(h.y()), cam.zoom(), t);
        }
        if (dashes) {
            // Few instances: the hub and the instances sit above the dashes and pulses, as on one canvas, so the
            // moving layer leaves out their discs (with many, the clip would cost more than the flows).
            g.save();
            g.setFillRule(FillRule.EVEN_ODD);
            g.beginPath();
            g.rect(0, 0, width, height);
            double hubRadius = HUB_RADIUS * Math.clamp(Math.sqrt(cam.zoom()), 0.6, 1.5);
            double hub = hubRadius + 1;
            for (TopologyModel.Hub h : model.hubs()) {
                double hx = cam.screenX(h.x());
                double hy = cam.screenY(h.y());
                g.moveTo(hx + hub, hy);
                g.arc(hx, hy, hub, hub, 0, 360);
                g.rect(hx - CAPTION_WIDTH / 2, hy + hubRadius + 5, CAPTION_WIDTH, CAPTION_HEIGHT); // the hub's caption
            }
            for (int i = 0; i < n; i++) {
                double r = radius * Math.max(0, scale[i]) + 1.5;
                if (scale[i] > 0.01) {
                    g.moveTo(sx[i] + r, sy[i]);
                    g.arc(sx[i], sy[i], r, r, 0, 360);
                }
            }
            g.closePath();
            g.clip();
            g.setFillRule(FillRule.NON_ZERO);
            for (int i = 0; i < n; i++) {
                unicast(g, nodes.get(i), hsx[i], hsy[i], sx[i], sy[i], scale[i], t, true, true);
            }
            clientToClient(g, model, cam, t, true, true);
            betweenServers(g, model, cam, t, true, true);
        }
        broadcasts(g, model, cam, t, count);
        if (dashes) {
            g.restore();
        }
        nodes(g, nodes, n, width, height, count, radius, cam, t, hovered, selected, true);
        g.setGlobalAlpha(1);
        stormBanner(g, model, width, t, true);
    }

    /** Instances drawn one by one and labels: on the base all but storming ones, on the moving layer those. */
    private void nodes(GraphicsContext g, List<NodeState> nodes, int n, double width, double height, int count, double radius,
            Camera cam, double t, int hovered, int selected, boolean moving) {
        boolean labels = count <= LABEL_LIMIT || cam.zoom() >= 1.6;
        for (int i = 0; i < n; i++) {
            NodeState s = nodes.get(i);
            if (s.storming() != moving || sx[i] < -80 || sy[i] < -80 || sx[i] > width + 80 || sy[i] > height + 80
                    || scale[i] <= 0.01) {
                continue;
            }
            if (count <= LABEL_LIMIT || special(s, scale[i], hovered, selected)) {
                node(g, s, sx[i], sy[i], radius * scale[i], t, s.peerId() == hovered, s.peerId() == selected, scale[i]);
            }
            if (labels || s.peerId() == hovered || s.peerId() == selected) {
                label(g, s, sx[i], sy[i], hsx[i], hsy[i], radius * scale[i], Math.min(1, scale[i]));
            }
        }
        g.setGlobalAlpha(1);
    }

    /** The background glow, computed once per canvas size (a gradient fill every frame costs more than a copy). */
    private WritableImage backdrop(double width, double height) {
        int w = Math.max(1, (int) Math.ceil(width));
        int h = Math.max(1, (int) Math.ceil(height));
        if (backdrop == null || backdrop.getWidth() != w || backdrop.getHeight() != h) {
            backdrop = new WritableImage(w, h);
            int[] row = new int[w];
            double cx = w / 2.0;
            double cy = h / 2.0;
            double reach = Math.max(w, h) * 0.75;
            Color a = Palette.BACKGROUND_CENTER;
            Color b = Palette.BACKGROUND_EDGE;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double f = Math.min(1, Math.hypot(x - cx, y - cy) / reach);
                    int r = (int) Math.round(255 * (a.getRed() + (b.getRed() - a.getRed()) * f));
                    int gr = (int) Math.round(255 * (a.getGreen() + (b.getGreen() - a.getGreen()) * f));
                    int bl = (int) Math.round(255 * (a.getBlue() + (b.getBlue() - a.getBlue()) * f));
                    row[x] = 0xff000000 | r << 16 | gr << 8 | bl;
                }
                backdrop.getPixelWriter().setPixels(0, y, w, 1, PixelFormat.getIntArgbInstance(), row, 0, w);
            }
        }
        return backdrop;
    }

    /** Instances drawn one by one even when there are many: animating, storming, hovered or selected. */
    private static boolean special(NodeState s, double scale, int hovered, int selected) {
        return scale < 0.999 || !s.present() || s.storming() || s.peerId() == hovered || s.peerId() == selected;
    }

    /** With many instances, every ordinary marker goes into one fill and two strokes. */
    private void markers(GraphicsContext g, List<NodeState> nodes, int n, double r, int hovered, int selected) {
        g.setFill(Palette.NODE_FILL);
        g.beginPath();
        for (int i = 0; i < n; i++) {
            if (!special(nodes.get(i), scale[i], hovered, selected)) {
                g.moveTo(sx[i] + r, sy[i]);
                g.arc(sx[i], sy[i], r, r, 0, 360);
            }
        }
        g.fill();
        g.setLineWidth(1.6);
        for (int pass = 0; pass < 2; pass++) {
            g.beginPath();
            for (int i = 0; i < n; i++) {
                NodeState s = nodes.get(i);
                boolean busy = s.upBytesPerSecond() + s.downBytesPerSecond() > 0;
                if (!special(s, scale[i], hovered, selected) && busy == (pass == 1)) {
                    g.moveTo(sx[i] + r, sy[i]);
                    g.arc(sx[i], sy[i], r, r, 0, 360);
                }
            }
            g.setStroke(pass == 1 ? Palette.UNICAST : Palette.NODE_STROKE);
            g.stroke();
        }
    }

    /** 0 → 1 while appearing (with a little overshoot), 1 → 0 while leaving. */
    static double appearance(NodeState s, long now) {
        if (!s.present()) {
            return Math.max(0, 1 - (now - s.leftNanos()) / (double) TopologyModel.LEAVE_NANOS);
        }
        double p = Math.clamp((now - s.appearedNanos()) / (double) APPEAR_NANOS, 0, 1);
        double c = 1.70158; // ease-out-back
        return 1 + (c + 1) * Math.pow(p - 1, 3) + c * Math.pow(p - 1, 2);
    }

    private void background(GraphicsContext g, double width, double height, TopologyModel model, Camera cam) {
        g.drawImage(backdrop(width, height), 0, 0);
        int[] maxRing = new int[model.hubs().size()];
        java.util.Arrays.fill(maxRing, -1);
        for (NodeState s : model.nodes()) {
            if (s.hub() < maxRing.length) {
                maxRing[s.hub()] = Math.max(maxRing[s.hub()], SlotLayout.ring(s.slot()));
            }
        }
        g.setStroke(Palette.RING);
        g.setLineWidth(1);
        for (TopologyModel.Hub h : model.hubs()) {
            for (int r = 0; r <= maxRing[h.index()]; r++) {
                double rr = (SlotLayout.FIRST_RADIUS + r * SlotLayout.RING_STEP) * cam.zoom();
                g.strokeOval(cam.screenX(h.x()) - rr, cam.screenY(h.y()) - rr, 2 * rr, 2 * rr);
            }
        }
    }

    /**
     * A spoke's unicast flows: on the base the lanes ({@code moving} false), on the moving layer their dashes (few
     * instances only).
     */
    private void unicast(GraphicsContext g, NodeState s, double hx, double hy, double x, double y, double a, double t,
            boolean dashes, boolean moving) {
        if (a <= 0.02 || s.upBytesPerSecond() <= 0 && s.downBytesPerSecond() <= 0) {
            return;
        }
        double dx = x - hx;
        double dy = y - hy;
        double len = Math.hypot(dx, dy);
        if (len < 1) {
            return;
        }
        double nx = -dy / len;
        double ny = dx / len;
        if (!dashes && a >= 0.999) {
            // Many instances: both directions as one batched stroke on the outer part of the spoke, width by the sum;
            // the hub's surroundings stay clear for the client-to-client paths.
            if (!moving) {
                lanes.line(MANY_WIDTH * Palette.width(s.upBytesPerSecond() + s.downBytesPerSecond()), x - dx * STUB, y - dy * STUB, x, y);
            }
            return;
        }
        g.setGlobalAlpha(Math.min(1, a));
        lane(g, x, y, hx, hy, nx, ny, s.upBytesPerSecond(), t, dashes, 1, moving);
        lane(g, hx, hy, x, y, nx, ny, s.downBytesPerSecond(), t, dashes, -1, moving);
        g.setGlobalAlpha(1);
    }

    /** One direction of a spoke, drawn from → to, shifted to one side of the spoke: the lane, or its moving dashes. */
    private static void lane(GraphicsContext g, double fx, double fy, double tx, double ty, double nx, double ny, double rate,
            double t, boolean dashes, int side, boolean moving) {
        if (rate <= 0) {
            return;
        }
        double w = Palette.width(rate);
        double off = side * (w / 2 + 1.2);
        double ax = fx + nx * off;
        double ay = fy + ny * off;
        double bx = tx + nx * off;
        double by = ty + ny * off;
        g.setLineWidth(w);
        if (!moving) {
            g.setStroke(Palette.UNICAST.deriveColor(0, 1, 1, 0.38));
            g.strokeLine(ax, ay, bx, by);
        } else if (dashes) {
            g.setStroke(Palette.UNICAST);
            g.setLineDashes(w * 1.6, w * 3.2);
            g.setLineDashOffset(-flowPhase(rate, t) % (w * 4.8));
            g.strokeLine(ax, ay, bx, by);
            g.setLineDashes((double[]) null);
        }
    }

    /** How far the dashes have moved: faster for busier flows. */
    private static double flowPhase(double rate, double t) {
        return t * (25 + 12 * Math.log10(1 + rate / 100));
    }

    /** Client-to-client paths through the hub: on the base the paths, on the moving layer their dashes. */
    private void clientToClient(GraphicsContext g, TopologyModel model, Camera cam, double t, boolean dashes, boolean moving) {
        List<EdgeRate> edges = model.clientToClient();
        // With many, only the busiest are drawn (the matrix has them all); the list is sorted by rate.
        int from = dashes ? 0 : Math.max(0, edges.size() - C2C_LIMIT);
        for (EdgeRate e : edges.subList(from, edges.size())) {
            NodeState a = model.node(e.source());
            NodeState b = model.node(e.destination());
            if (a == null || b == null) {
                continue;
            }
            double hx = cam.screenX(a.hubX()); // a server's clients: both hang on its hub
            double hy = cam.screenY(a.hubY());
            double ax = cam.screenX(a.x());
            double ay = cam.screenY(a.y());
            double bx = cam.screenX(b.x());
            double by = cam.screenY(b.y());
            double dx = bx - ax;
            double dy = by - ay;
            double len = Math.max(Math.hypot(dx, dy), 1);
            // Through the hub: into the hub and out again, passing just beside its centre on the right of the direction
            // of travel (so a→b and b→a are two lanes), crossing it in the direction a→b: a loop distinct from the spokes.
            double ux = dx / len;
            double uy = dy / len;
            double mx = hx - uy * C2C_SWING;
            double my = hy + ux * C2C_SWING;
            double reach = Math.min(C2C_TANGENT, 0.45 * Math.min(Math.hypot(ax - hx, ay - hy), Math.hypot(bx - hx, by - hy)));
            double c1x = mx - ux * reach;
            double c1y = my - uy * reach;
            double c2x = mx + ux * reach;
            double c2y = my + uy * reach;
            double w = Palette.width(e.bytesPerSecond());
            if (!dashes) {
                curves.quad(MANY_WIDTH * w, ax, ay, c1x, c1y, mx, my);
                curves.quad(MANY_WIDTH * w, mx, my, c2x, c2y, bx, by);
                continue;
            }
            g.setLineWidth(w);
            if (!moving) {
                g.setStroke(Palette.CLIENT_TO_CLIENT.deriveColor(0, 1, 1, 0.4));
                curve(g, ax, ay, c1x, c1y, mx, my, c2x, c2y, bx, by);
            } else {
                g.setStroke(Palette.CLIENT_TO_CLIENT);
                g.setLineDashes(w * 1.6, w * 3.2);
                g.setLineDashOffset(-flowPhase(e.bytesPerSecond(), t) % (w * 4.8));
                curve(g, ax, ay, c1x, c1y, mx, my, c2x, c2y, bx, by);
                g.setLineDashes((double[]) null);
            }
        }
        curves.flush(g, Palette.CLIENT_TO_CLIENT.deriveColor(0, 1, 1, 0.6));
    }

    /**
     * A client's traffic to a client on another fleet server (ADR 0056): one curve from the client towards its hub, over
     * to the other hub and out to the far client, in the unicast colour (it passes through both servers' devices).
     */
    private void betweenServers(GraphicsContext g, TopologyModel model, Camera cam, double t, boolean dashes, boolean moving) {
        for (EdgeRate e : model.betweenServers()) {
            NodeState a = model.node(e.source());
            NodeState b = model.node(e.destination());
            if (a == null || b == null) {
                continue;
            }
            double w = Palette.width(e.bytesPerSecond());
            g.setLineWidth(w);
            g.setStroke(moving ? Palette.UNICAST : Palette.UNICAST.deriveColor(0, 1, 1, 0.4));
            if (moving) {
                g.setLineDashes(w * 1.6, w * 3.2);
                g.setLineDashOffset(-flowPhase(e.bytesPerSecond(), t) % (w * 4.8));
            } else if (!dashes) {
                g.setStroke(Palette.UNICAST.deriveColor(0, 1, 1, 0.6));
            }
            g.beginPath();
            g.moveTo(cam.screenX(a.x()), cam.screenY(a.y()));
            g.bezierCurveTo(cam.screenX(a.hubX()), cam.screenY(a.hubY()), cam.screenX(b.hubX()), cam.screenY(b.hubY()),
                    cam.screenX(b.x()), cam.screenY(b.y()));
            g.stroke();
            g.setLineDashes((double[]) null);
        }
    }

    /** Two quadratic pieces joined smoothly at (mx, my): a → m → b. */
    private static void curve(GraphicsContext g, double ax, double ay, double c1x, double c1y, double mx, double my, double c2x,
            double c2y, double bx, double by) {
        g.beginPath();
        g.moveTo(ax, ay);
        g.quadraticCurveTo(c1x, c1y, mx, my);
        g.quadraticCurveTo(c2x, c2y, bx, by);
        g.stroke();
    }

    /** A storming sender's path to the hub and, to few receivers, the hub's paths to each (they hold still). */
    private void stormPaths(GraphicsContext g, TopologyModel model, Camera cam) {
        for (TopologyModel.FanOut f : model.fanOuts()) {
            NodeState s = f.sender();
            if (!s.storming()) {
                continue;
            }
            double hx = cam.screenX(s.hubX());
            double hy = cam.screenY(s.hubY());
            Color colour = Palette.STORM;
            g.setStroke(colour.deriveColor(0, 1, 1, 0.3));
            g.setLineWidth(2);
            g.strokeLine(cam.screenX(s.x()), cam.screenY(s.y()), hx, hy);
            if (f.receivers().size() <= FAN_LIMIT) {
                for (NodeState r : f.receivers()) {
                    fan.line(1.5, hx, hy, cam.screenX(r.x()), cam.screenY(r.y()));
                }
                fan.flush(g, colour.deriveColor(0, 1, 1, 0.22));
            }
        }
    }

    /** Broadcast pulses in flight: sender → hub, then hub → every receiver (or one spreading wave for many). */
    private void broadcasts(GraphicsContext g, TopologyModel model, Camera cam, double t, int count) {
        double reach = 0;
        if (count > FAN_LIMIT) {
            for (NodeState s : model.nodes()) {
                reach = Math.max(reach, Math.hypot(s.x() - s.hubX(), s.y() - s.hubY()) * cam.zoom());
            }
        }
        for (TopologyModel.FanOut f : model.fanOuts()) {
            NodeState s = f.sender();
            double hx = cam.screenX(s.hubX());
            double hy = cam.screenY(s.hubY());
            boolean storm = s.storming();
            Color colour = storm ? Palette.STORM : Palette.BROADCAST;
            double ax = cam.screenX(s.x());
            double ay = cam.screenY(s.y());
            List<NodeState> receivers = f.receivers();
            boolean wave = receivers.size() > FAN_LIMIT;
            double perSecond = Math.min(f.packetsPerSecond(), storm ? 4 : 1.6);
            double period = 1 / perSecond;
            // Every pulse still in flight: the one that started last, and the ones before it.
            double lastStart = Math.floor(t / period) * period;
            for (double start = lastStart; t - start < PULSE_SECONDS; start -= period) {
                double p = (t - start) / PULSE_SECONDS;
                if (wave && p >= PULSE_HUB) {
                    wave(g, colour, (p - PULSE_HUB) / (1 - PULSE_HUB), hx, hy, reach);
                } else {
                    pulse(g, cam, colour, p, ax, ay, hx, hy, receivers);
                }
            }
        }
    }

    /** One broadcast pulse at progress p (0..1): sender → hub, then hub → every receiver. */
    private static void pulse(GraphicsContext g, Camera cam, Color colour, double p, double ax, double ay, double hx, double hy,
            List<NodeState> receivers) {
        if (p < PULSE_HUB) {
            double q = p / PULSE_HUB;
            double ring = 6 + q * 22;
            g.setStroke(colour.deriveColor(0, 1, 1, 1 - q));
            g.setLineWidth(2);
            g.strokeOval(ax - ring, ay - ring, 2 * ring, 2 * ring);
            dot(g, colour, ax + (hx - ax) * q, ay + (hy - ay) * q, 4.5, 1);
            return;
        }
        double q = (p - PULSE_HUB) / (1 - PULSE_HUB);
        double fade = 1 - q * q;
        g.setLineWidth(1.2);
        g.setStroke(colour.deriveColor(0, 1, 1, 0.35 * fade));
        double ring = 8 + q * 30;
        g.strokeOval(hx - ring, hy - ring, 2 * ring, 2 * ring);
        g.setFill(colour.deriveColor(0, 1, 1, fade));
        g.beginPath();
        for (NodeState r : receivers) {
            double rx = cam.screenX(r.x());
            double ry = cam.screenY(r.y());
            g.moveTo(hx, hy);
            g.lineTo(hx + (rx - hx) * q, hy + (ry - hy) * q);
        }
        g.stroke();
        for (NodeState r : receivers) {
            double px = hx + (cam.screenX(r.x()) - hx) * q;
            double py = hy + (cam.screenY(r.y()) - hy) * q;
            g.fillOval(px - 3.5, py - 3.5, 7, 7);
        }
    }

    /** A fan-out to many receivers: one ring spreading from the hub over every ring of instances. */
    private static void wave(GraphicsContext g, Color colour, double q, double hx, double hy, double reach) {
        double r = 10 + q * (reach + 20);
        g.setLineWidth(3);
        g.setStroke(colour.deriveColor(0, 1, 1, 0.75 * (1 - q)));
        // As arcs of about WAVE_ARC pixels: the software rasteriser walks every row of a shape across its whole
        // bounding box, so one ring of 900 px costs as much as a filled disc; short arcs cost what they cover.
        int pieces = Math.clamp((int) Math.ceil(2 * Math.PI * r / WAVE_ARC), 1, 64);
        if (pieces == 1) {
            g.strokeOval(hx - r, hy - r, 2 * r, 2 * r);
            return;
        }
        g.setLineCap(StrokeLineCap.BUTT);
        double extent = 360.0 / pieces;
        for (int i = 0; i < pieces; i++) {
            g.strokeArc(hx - r, hy - r, 2 * r, 2 * r, i * extent, extent, ArcType.OPEN);
        }
        g.setLineCap(StrokeLineCap.ROUND);
    }

    private static void dot(GraphicsContext g, Color colour, double x, double y, double r, double alpha) {
        g.setFill(colour.deriveColor(0, 1, 1, alpha * 0.3));
        g.fillOval(x - r * 2, y - r * 2, r * 4, r * 4);
        g.setFill(colour.deriveColor(0, 1, 1, alpha));
        g.fillOval(x - r, y - r, 2 * r, 2 * r);
    }

    /** The hub's breathing glow: a ring around its disc (which sits on the base, so the glow never covers it). */
    private static void hubGlow(GraphicsContext g, double x, double y, double zoom, double t) {
        double r = HUB_RADIUS * Math.clamp(Math.sqrt(zoom), 0.6, 1.5);
        double glow = r * 2.4 * (1 + 0.06 * Math.sin(t * 2.2));
        g.setFill(new RadialGradient(0, 0, x, y, glow, false, CycleMethod.NO_CYCLE,
                new Stop(0, Palette.HUB.deriveColor(0, 1, 1, 0.45)), new Stop(1, Palette.HUB.deriveColor(0, 1, 1, 0))));
        g.setFillRule(FillRule.EVEN_ODD);
        g.beginPath();
        g.moveTo(x + glow, y);
        g.arc(x, y, glow, glow, 0, 360);
        g.moveTo(x + r - 1, y);
        g.arc(x, y, r - 1, r - 1, 0, 360);
        g.closePath();
        g.fill();
        g.setFillRule(FillRule.NON_ZERO);
    }

    /** A hub's disc and its caption (the server or a fleet server's name, its address or clients, throughput). */
    private void hub(GraphicsContext g, TopologyModel.Hub hub, double x, double y, double zoom) {
        double r = HUB_RADIUS * Math.clamp(Math.sqrt(zoom), 0.6, 1.5);
        g.setFill(new RadialGradient(0, 0, x - r * 0.3, y - r * 0.3, r * 1.4, false, CycleMethod.NO_CYCLE,
                new Stop(0, Color.web("#5eead4")), new Stop(1, Color.web("#0f766e"))));
        g.fillOval(x - r, y - r, 2 * r, 2 * r);
        g.setStroke(Color.web("#ccfbf1"));
        g.setLineWidth(2);
        g.strokeOval(x - r, y - r, 2 * r, 2 * r);
        g.setFill(Color.web("#f0fdfa"));
        g.setFont(hubFont);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(messages.get("hub.short"), x, y);
        g.setTextBaseline(VPos.TOP);
        g.setFill(Palette.BACKGROUND_EDGE.deriveColor(0, 1, 1, 0.78));
        g.fillRoundRect(x - CAPTION_WIDTH / 2, y + r + 5, CAPTION_WIDTH, CAPTION_HEIGHT, 12, 12);
        g.setFill(Palette.TEXT);
        g.fillText(hub.name() == null ? messages.get("hub.title") : hub.name(), x, y + r + 8);
        g.setFont(detailFont);
        g.setFill(Palette.TEXT_MONO);
        g.fillText(hub.caption(), x, y + r + 25);
        g.setFill(Palette.TEXT_DIM);
        g.setFont(smallFont);
        g.fillText(messages.get("hub.throughput", Formats.rate(hub.bytesPerSecond())), x, y + r + 41);
    }

    private void node(GraphicsContext g, NodeState s, double x, double y, double r, double t, boolean hovered,
            boolean selected, double a) {
        g.setGlobalAlpha(Math.min(1, Math.max(0, a)));
        if (s.storming()) {
            double halo = r * (1.9 + 0.5 * Math.sin(t * 9));
            g.setFill(Palette.STORM.deriveColor(0, 1, 1, 0.28));
            g.fillOval(x - halo, y - halo, 2 * halo, 2 * halo);
        }
        if (hovered || selected) {
            double halo = r + 7;
            g.setFill(Color.web("#e2e8f0", 0.16));
            g.fillOval(x - halo, y - halo, 2 * halo, 2 * halo);
        }
        g.setFill(Palette.NODE_FILL);
        g.fillOval(x - r, y - r, 2 * r, 2 * r);
        boolean busy = s.upBytesPerSecond() + s.downBytesPerSecond() > 0;
        g.setStroke(s.storming() ? Palette.STORM : selected ? Color.WHITE : busy ? Palette.UNICAST : Palette.NODE_STROKE);
        g.setLineWidth(selected ? 3 : 2);
        g.strokeOval(x - r, y - r, 2 * r, 2 * r);
        if (r >= 9) {
            String cn = s.info().commonName();
            g.setFill(Palette.TEXT);
            g.setFont(letterFont);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(cn == null || cn.isEmpty() ? "?" : cn.substring(0, 1).toUpperCase(java.util.Locale.ROOT), x, y);
        }
        g.setGlobalAlpha(1);
    }

    /** The width on screen of {@code s}'s label (its widest line), so a fit leaves room for it at the edges. */
    double labelWidth(NodeState s) {
        javafx.scene.text.Text t = new javafx.scene.text.Text();
        double w = 0;
        for (Object[] line : new Object[][] {{s.info().commonName(), nameFont},
                {String.join(" ", s.info().virtualAddresses()), detailFont}, {s.info().realAddress(), smallFont}}) {
            t.setText(line[0] == null ? "" : (String) line[0]);
            t.setFont((Font) line[1]);
            w = Math.max(w, t.getLayoutBounds().getWidth());
        }
        return w;
    }

    /** Name, tunnel address and real address, placed outward from the hub so they never sit on the spokes. */
    private void label(GraphicsContext g, NodeState s, double x, double y, double hx, double hy, double r, double alpha) {
        double dx = x - hx;
        double dy = y - hy;
        double len = Math.max(Math.hypot(dx, dy), 1);
        double ux = dx / len;
        double uy = dy / len;
        double lx = x + ux * (r + 9);
        double ly = y + uy * (r + 9);
        g.setTextAlign(ux > 0.35 ? TextAlignment.LEFT : ux < -0.35 ? TextAlignment.RIGHT : TextAlignment.CENTER);
        double lineHeight = 14;
        double top = uy > 0.35 ? ly : uy < -0.35 ? ly - 3 * lineHeight : ly - 1.5 * lineHeight;
        g.setTextBaseline(VPos.TOP);
        g.setGlobalAlpha(alpha);
        g.setFont(nameFont);
        g.setFill(Palette.TEXT);
        g.fillText(s.info().commonName(), lx, top);
        g.setFont(detailFont);
        g.setFill(Palette.TEXT_MONO);
        g.fillText(String.join(" ", s.info().virtualAddresses()), lx, top + lineHeight);
        g.setFont(smallFont);
        g.setFill(Palette.TEXT_DIM);
        g.fillText(s.info().realAddress(), lx, top + 2 * lineHeight);
        g.setGlobalAlpha(1);
    }

    /** The storm banner: on the base the banner and its text, on the moving layer its pulsing edge. */
    private void stormBanner(GraphicsContext g, TopologyModel model, double width, double t, boolean moving) {
        List<NodeState> storms = model.storms();
        if (storms.isEmpty()) {
            return;
        }
        NodeState worst = storms.getFirst();
        for (NodeState s : storms) {
            if (s.broadcastPacketsPerSecond() > worst.broadcastPacketsPerSecond()) {
                worst = s;
            }
        }
        String text = storms.size() == 1
                ? messages.get("storm.one", worst.info().commonName(), Formats.packets(worst.broadcastPacketsPerSecond()))
                : messages.get("storm.many", storms.size(), worst.info().commonName(), Formats.packets(worst.broadcastPacketsPerSecond()));
        double w = Math.min(width - 40, 12 + text.length() * 7.4);
        double x = (width - w) / 2;
        if (moving) {
            g.setStroke(Palette.STORM.deriveColor(0, 1, 1, 0.45 + 0.45 * Math.sin(t * 6)));
            g.setLineWidth(2.5);
            g.strokeRoundRect(x - 3, 11, w + 6, 36, 19, 19);
            return;
        }
        g.setFill(Palette.STORM.deriveColor(0, 1, 1, 0.88));
        g.fillRoundRect(x, 14, w, 30, 15, 15);
        g.setFill(Color.WHITE);
        g.setFont(bannerFont);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(text, width / 2, 29);
    }

    /** The peer-id of the instance under a screen point, {@link #HUB} for the hub, or {@link #NOTHING}. */
    static int hit(TopologyModel model, Camera cam, double x, double y) {
        int count = model.presentCount();
        double r = nodeRadius(count, cam.zoom()) + 5;
        int best = NOTHING;
        double bestDistance = Double.MAX_VALUE;
        for (NodeState s : model.nodes()) {
            if (!s.present()) {
                continue;
            }
            double d = Math.hypot(cam.screenX(s.x()) - x, cam.screenY(s.y()) - y);
            if (d <= r && d < bestDistance) {
                best = s.peerId();
                bestDistance = d;
            }
        }
        if (best == NOTHING && hitHub(model, cam, x, y) != null) {
            return HUB;
        }
        return best;
    }

    /** The hub under a screen point, or null. */
    static TopologyModel.Hub hitHub(TopologyModel model, Camera cam, double x, double y) {
        for (TopologyModel.Hub h : model.hubs()) {
            if (Math.hypot(cam.screenX(h.x()) - x, cam.screenY(h.y()) - y) <= HUB_RADIUS * Math.clamp(Math.sqrt(cam.zoom()), 0.6, 1.5)) {
                return h;
            }
        }
        return null;
    }

    static final int HUB = -1;
    static final int NOTHING = Integer.MIN_VALUE;
}
