package io.culvert.app.topology;

import java.util.Arrays;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Paint;

/**
 * Collects line segments and curves of one colour, bucketed by stroke width, and strokes each bucket as a single
 * path: with hundreds of instances a few large strokes cost far less than hundreds of small ones. Reused from frame
 * to frame; not thread-safe (FX thread).
 */
final class StrokeBatch {
    private static final int BUCKETS = 24;
    private static final int STRIDE = 9;
    private final double step;
    /** Per bucket: segments as (kind, x1, y1, cx, cy, unused, unused, x2, y2); kind 0 = line, 1 = quadratic curve. */
    private final double[][] data = new double[BUCKETS][];
    private final int[] size = new int[BUCKETS];

    /** Widths are rounded to multiples of {@code step}: every bucket is one path whose bounds the rasteriser walks. */
    StrokeBatch(double step) {
        this.step = step;
        for (int i = 0; i < BUCKETS; i++) {
            data[i] = new double[STRIDE * 64];
        }
    }

    void line(double width, double x1, double y1, double x2, double y2) {
        add(width, 0, x1, y1, 0, 0, 0, 0, x2, y2);
    }

    /** A quadratic curve from (x1, y1) to (x2, y2) bent towards (cx, cy). */
    void quad(double width, double x1, double y1, double cx, double cy, double x2, double y2) {
        add(width, 1, x1, y1, cx, cy, 0, 0, x2, y2);
    }

    private void add(double width, double... v) {
        int b = Math.clamp((int) Math.round(width / step), 1, BUCKETS - 1); // never 0: a zero-width stroke is still drawn
        if (size[b] + STRIDE > data[b].length) {
            data[b] = Arrays.copyOf(data[b], data[b].length * 2);
        }
        System.arraycopy(v, 0, data[b], size[b], STRIDE);
        size[b] += STRIDE;
    }

    /** Strokes everything collected in {@code paint} and empties the batch. */
    void flush(GraphicsContext g, Paint paint) {
        g.setStroke(paint);
        for (int b = 0; b < BUCKETS; b++) {
            if (size[b] == 0) {
                continue;
            }
            double[] d = data[b];
            g.setLineWidth(b * step);
            g.beginPath();
            for (int i = 0; i < size[b]; i += STRIDE) {
                g.moveTo(d[i + 1], d[i + 2]);
                if (d[i] == 0) {
                    g.lineTo(d[i + 7], d[i + 8]);
                } else {
                    g.quadraticCurveTo(d[i + 3], d[i + 4], d[i + 7], d[i + 8]);
                }
            }
            g.stroke();
            size[b] = 0;
        }
    }
}
