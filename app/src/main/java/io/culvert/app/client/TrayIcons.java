package io.culvert.app.client;

import io.culvert.app.common.StatusNotifierItem;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The tray icon: a round badge with a white tunnel arch, coloured by the connection's phase. */
final class TrayIcons {
    private static final int[] SIZES = {22, 32, 48};
    private static final Map<ConnectionModel.Phase, List<StatusNotifierItem.Pixmap>> PIXMAPS = new EnumMap<>(ConnectionModel.Phase.class);

    private TrayIcons() {}

    static Color colour(ConnectionModel.Phase p) {
        return switch (p) {
            case CONNECTED -> new Color(0x2da44e);
            case FAILED -> new Color(0xcf222e);
            case IDLE -> Color.GRAY;
            case CONNECTING, DISCONNECTING -> new Color(0xbf8700);
        };
    }

    /** The badge at {@code size} pixels square. */
    static BufferedImage image(ConnectionModel.Phase p, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        var g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.scale(size / 32.0, size / 32.0);
        g.setColor(colour(p));
        g.fillOval(1, 1, 30, 30);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(3.5f));
        g.drawArc(8, 9, 16, 18, 0, 180);
        g.drawLine(8, 18, 8, 24);
        g.drawLine(24, 18, 24, 24);
        g.dispose();
        return img;
    }

    /** The badge as StatusNotifierItem pixmaps (ARGB32, big-endian) at a few sizes; the same list for the same phase. */
    static synchronized List<StatusNotifierItem.Pixmap> pixmaps(ConnectionModel.Phase p) {
        return PIXMAPS.computeIfAbsent(p, phase -> {
            var out = new java.util.ArrayList<StatusNotifierItem.Pixmap>();
            for (int size : SIZES) {
                BufferedImage img = image(phase, size);
                byte[] data = new byte[size * size * 4];
                int k = 0;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int argb = img.getRGB(x, y);
                        data[k++] = (byte) (argb >>> 24);
                        data[k++] = (byte) (argb >>> 16);
                        data[k++] = (byte) (argb >>> 8);
                        data[k++] = (byte) argb;
                    }
                }
                out.add(new StatusNotifierItem.Pixmap(size, size, data));
            }
            return List.copyOf(out);
        });
    }
}
