package io.culvert.app.client;

import io.culvert.app.common.TrayModel;
import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.GraphicsEnvironment;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.util.Optional;
import java.util.function.IntConsumer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback tray icon where the desktop has no StatusNotifier tray but an old-style one (java.awt.SystemTray, the
 * XEmbed system tray of X11 panels such as trayer or stalonetray). Its menu shows the same {@link TrayModel} as the
 * StatusNotifier menu — the state, a check item per profile, Disconnect, Show, the close-to-tray checkmark, Quit —
 * and the tooltip says the state. Nothing on a headless JVM or a desktop without a tray. AWT calls run on the AWT
 * event thread; clicks hop to the FX thread.
 */
final class AwtTray {
    private static final Logger LOG = LoggerFactory.getLogger(AwtTray.class);

    private final TrayIcon icon;
    private final PopupMenu menu;
    private final IntConsumer clicked;

    private AwtTray(TrayIcon icon, PopupMenu menu, IntConsumer clicked) {
        this.icon = icon;
        this.menu = menu;
        this.clicked = clicked;
    }

    /**
     * The tray icon showing {@code model}, or empty when there is no tray. {@code clicked} gets a clicked menu item's
     * id and {@code show} a double click on the icon, both on the FX thread. Call on the FX thread.
     */
    static Optional<AwtTray> install(TrayModel model, ConnectionModel.Phase phase, IntConsumer clicked, Runnable show) {
        if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
            return Optional.empty();
        }
        try {
            IntConsumer onFx = id -> Platform.runLater(() -> clicked.accept(id));
            PopupMenu menu = new PopupMenu();
            fill(menu, model, onFx);
            TrayIcon icon = new TrayIcon(TrayIcons.image(phase, 32), tooltip(model), menu);
            icon.setImageAutoSize(true);
            icon.addActionListener(e -> Platform.runLater(show)); // a double click
            SystemTray.getSystemTray().add(icon);
            return Optional.of(new AwtTray(icon, menu, onFx));
        } catch (AWTException | UnsupportedOperationException | SecurityException e) {
            LOG.info("No system tray icon: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * Puts the items of {@code model} into {@code menu}, replacing what it held: a separator for a separator, a check
     * item for a radio or checkmark item (AWT has no radio items), else a plain item; disabled items stay disabled. A
     * click passes the item's id to {@code clicked} (on the AWT thread).
     */
    static void fill(Menu menu, TrayModel model, IntConsumer clicked) {
        menu.removeAll();
        for (TrayModel.Item item : model.menu()) {
            if (item.separator()) {
                menu.addSeparator();
                continue;
            }
            MenuItem m;
            if (item.toggle() == TrayModel.Toggle.NONE) {
                m = new MenuItem(item.label());
                m.addActionListener(e -> clicked.accept(item.id()));
            } else {
                CheckboxMenuItem c = new CheckboxMenuItem(item.label(), item.checked());
                c.addItemListener(e -> clicked.accept(item.id()));
                m = c;
            }
            m.setEnabled(item.enabled());
            menu.add(m);
        }
    }

    private static String tooltip(TrayModel model) {
        return model.tooltipTitle() + " \u2014 " + model.tooltipText();
    }

    /** Shows {@code model}: the menu, the tooltip and the badge of {@code phase}. */
    void show(TrayModel model, ConnectionModel.Phase phase) {
        java.awt.EventQueue.invokeLater(() -> {
            fill(menu, model, clicked);
            icon.setToolTip(tooltip(model));
            icon.setImage(TrayIcons.image(phase, 32));
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
