package io.culvert.app.client;

import io.culvert.app.common.Messages;
import java.awt.AWTException;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.RenderingHints;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.util.Optional;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A system-tray icon with Connect/Disconnect and Show, where the desktop has a tray (java.awt.SystemTray); nothing on
 * a headless JVM or a desktop without one. AWT calls run on the AWT event thread, actions hop back to the FX thread.
 */
final class ClientTray {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTray.class);

    private final TrayIcon icon;
    private final MenuItem toggle;

    private ClientTray(TrayIcon icon, MenuItem toggle) {
        this.icon = icon;
        this.toggle = toggle;
    }

    /** The tray icon, or empty when there is no tray. */
    static Optional<ClientTray> install(ClientViewModel vm, Messages msg, java.util.function.Supplier<Window> window) {
        if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
            return Optional.empty();
        }
        try {
            MenuItem show = new MenuItem(msg.get("tray.show"));
            show.addActionListener(e -> Platform.runLater(() -> {
                if (window.get() instanceof Stage s) {
                    s.show();
                    s.toFront();
                }
            }));
            MenuItem toggle = new MenuItem(msg.get("action.connect"));
            toggle.addActionListener(e -> Platform.runLater(vm::toggle));
            PopupMenu menu = new PopupMenu();
            menu.add(toggle);
            menu.add(show);
            TrayIcon icon = new TrayIcon(image(Color.GRAY), msg.get("tray.tooltip.idle"), menu);
            icon.setImageAutoSize(true);
            SystemTray.getSystemTray().add(icon);
            ClientTray tray = new ClientTray(icon, toggle);
            vm.connection().phaseProperty().addListener((o, a, p) -> tray.update(p, msg));
            return Optional.of(tray);
        } catch (AWTException | UnsupportedOperationException | SecurityException e) {
            LOG.info("No system tray icon: {}", e.toString());
            return Optional.empty();
        }
    }

    private void update(ConnectionModel.Phase p, Messages msg) {
        String label = switch (p) {
            case IDLE, FAILED -> msg.get("action.connect");
            case CONNECTING -> msg.get("action.cancel");
            default -> msg.get("action.disconnect");
        };
        String tip = msg.get("tray.tooltip." + p.name().toLowerCase(java.util.Locale.ROOT));
        Color colour = p == ConnectionModel.Phase.CONNECTED ? new Color(0x2da44e)
                : p == ConnectionModel.Phase.FAILED ? new Color(0xcf222e) : p == ConnectionModel.Phase.IDLE ? Color.GRAY
                : new Color(0xbf8700);
        java.awt.EventQueue.invokeLater(() -> {
            toggle.setLabel(label);
            icon.setToolTip(tip);
            icon.setImage(image(colour));
        });
    }

    void remove() {
        java.awt.EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }

    /** A round badge with a white tunnel arch. */
    private static BufferedImage image(Color colour) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        var g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(colour);
        g.fillOval(1, 1, 30, 30);
        g.setColor(Color.WHITE);
        g.setStroke(new java.awt.BasicStroke(3.5f));
        g.drawArc(8, 9, 16, 18, 0, 180);
        g.drawLine(8, 18, 8, 24);
        g.drawLine(24, 18, 24, 24);
        g.dispose();
        return img;
    }
}
