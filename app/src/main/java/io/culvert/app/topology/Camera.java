package io.culvert.app.topology;

/**
 * Zoom and pan of the topology canvas: screen = world × zoom + offset. Fit-to-window frames the given world
 * bounds. Mutable, confined to the FX thread.
 */
public final class Camera {
    static final double MIN_ZOOM = 0.05;
    static final double MAX_ZOOM = 8;
    private double zoom = 1;
    private double offsetX;
    private double offsetY;
    private boolean userMoved;

    public double zoom() {
        return zoom;
    }

    public double screenX(double worldX) {
        return worldX * zoom + offsetX;
    }

    public double screenY(double worldY) {
        return worldY * zoom + offsetY;
    }

    public double worldX(double screenX) {
        return (screenX - offsetX) / zoom;
    }

    public double worldY(double screenY) {
        return (screenY - offsetY) / zoom;
    }

    /** Zooms by {@code factor} keeping the world point under ({@code sx}, {@code sy}) where it is. */
    public void zoomAt(double factor, double sx, double sy) {
        double wx = worldX(sx);
        double wy = worldY(sy);
        zoom = Math.clamp(zoom * factor, MIN_ZOOM, MAX_ZOOM);
        offsetX = sx - wx * zoom;
        offsetY = sy - wy * zoom;
        userMoved = true;
    }

    public void pan(double dx, double dy) {
        offsetX += dx;
        offsetY += dy;
        userMoved = true;
    }

    /** True once the user zoomed or panned; the view then stops fitting on its own until {@link #fit} is asked for. */
    public boolean userMoved() {
        return userMoved;
    }

    /**
     * Frames world bounds [minX, maxX] × [minY, maxY] in a width × height screen with {@code margin} pixels to spare
     * on every side, centred; zoom never exceeds {@code maxZoom}.
     */
    public void fit(double minX, double minY, double maxX, double maxY, double width, double height, double margin,
            double maxZoom) {
        fit(minX, minY, maxX, maxY, width, height, margin, margin, maxZoom);
    }

    /** As {@link #fit(double, double, double, double, double, double, double, double)} with its own margin per axis. */
    public void fit(double minX, double minY, double maxX, double maxY, double width, double height, double marginX,
            double marginY, double maxZoom) {
        double w = Math.max(maxX - minX, 1);
        double h = Math.max(maxY - minY, 1);
        double usableW = Math.max(width - 2 * marginX, 10);
        double usableH = Math.max(height - 2 * marginY, 10);
        zoom = Math.clamp(Math.min(usableW / w, usableH / h), MIN_ZOOM, maxZoom);
        offsetX = width / 2 - (minX + maxX) / 2 * zoom;
        offsetY = height / 2 - (minY + maxY) / 2 * zoom;
        userMoved = false;
    }
}
