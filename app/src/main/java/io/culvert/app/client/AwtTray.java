package io.culvert.app.client;

import io.culvert.app.common.Messages;
import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.util.Optional;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback tray icon where the desktop has no StatusNotifier tray but an old-style one (java.awt.SystemTray, the
 * XEmbed system tray of X11 panels such as trayer or stalonetray): Connect/Disconnect, Show and Quit, with the state
 * in the tooltip. Nothing on a headless JVM or a desktop without a tray. AWT calls run on the AWT event thread,
 * actions hop to the FX thread.
 */
final class AwtTray {
    private static final Logger LOG = LoggerFactory.getLogger(AwtTray.class);

    private final TrayIcon icon;
    private final MenuItem toggle;

    private AwtTray(TrayIcon icon, MenuItem toggle) {
        this.icon = icon;
        this.toggle = toggle;
    }

    /** The tray icon, or empty when there is no tray. Call on the FX thread. */
    static Optional<AwtTray> install(ClientViewModel vm, Messages msg, Runnable show, Runnable quit) {
        if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
            return Optional.empty();
        }
        try {
            MenuItem showItem = new MenuItem(msg.get("tray.show"));
            showItem.addActionListener(e -> Platform.runLater(show));
            MenuItem toggle = new MenuItem(msg.get("action.connect"));
            toggle.addActionListener(e -> Platform.runLater(vm::toggle));
            MenuItem quitItem = new MenuItem(msg.get("tray.quit"));
            quitItem.addActionListener(e -> Platform.runLater(quit));
            PopupMenu menu = new PopupMenu();
            menu.add(toggle);
            menu.add(showItem);
            menu.addSeparator();
            menu.add(quitItem);
            TrayIcon icon = new TrayIcon(TrayIcons.image(ConnectionModel.Phase.IDLE, 32), msg.get("tray.tooltip.idle"), menu);
            icon.setImageAutoSize(true);
            icon.addActionListener(e -> Platform.runLater(show)); // a double click
            SystemTray.getSystemTray().add(icon);
            AwtTray tray = new AwtTray(icon, toggle);
            vm.connection().phaseProperty().addListener((o, a, p) -> tray.update(p, vm, msg));
            return Optional.of(tray);
        } catch (AWTException | UnsupportedOperationException | SecurityException e) {
            LOG.info("No system tray icon: {}", e.toString());
            return Optional.empty();
        }
    }

    private void update(ConnectionModel.Phase p, ClientViewModel vm, Messages msg) {
        String label = switch (p) {
            case IDLE, FAILED -> msg.get("action.connect");
            case CONNECTING -> msg.get("action.cancel");
            default -> msg.get("action.disconnect");
        };
        String tip = ClientTray.stateLine(vm.connection(), msg);
        java.awt.EventQueue.invokeLater(() -> {
            toggle.setLabel(label);
            icon.setToolTip("Culvert \u2014 " + tip);
            icon.setImage(TrayIcons.image(p, 32));
        });
    }

    /** A balloon from the icon (where there is no notification service). */
    void tell(String title, String text) {
        java.awt.EventQueue.invokeLater(() -> icon.displayMessage(title, text, TrayIcon.MessageType.INFO));
    }

    void remove() {
        java.awt.EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }
}
