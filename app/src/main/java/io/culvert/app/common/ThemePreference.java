package io.culvert.app.common;

import io.culvert.engine.api.AppSettings;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The theme the user chose — follow the desktop (the default), light or dark — remembered in the app settings, and the
 * desktop's own preference read from the XDG portal ({@code org.freedesktop.appearance color-scheme}) and followed
 * live while the choice is "system". The choice and the applied theme are FX-thread properties; the settings and the
 * bus are used on the background executor and the bus's own thread.
 */
public final class ThemePreference implements AutoCloseable {
    /** What the user picked. */
    public enum Choice { SYSTEM, LIGHT, DARK }

    /** The app setting that remembers the choice. */
    public static final String KEY = "app.theme";
    private static final Logger LOG = LoggerFactory.getLogger(ThemePreference.class);

    private final AppSettings settings;
    private final Executor background;
    private final boolean followDesktop;
    private final ObjectProperty<Choice> choice = new SimpleObjectProperty<>(Choice.SYSTEM);
    private final ReadOnlyObjectWrapper<Theme> applied = new ReadOnlyObjectWrapper<>(Theme.LIGHT);
    private Theme desktop = Theme.LIGHT;
    private boolean loading;
    private DBusConnection bus;
    /** Set by {@link #close}: the theme is no longer this preference's to apply (the app may run again, in tests). */
    private volatile boolean closed;
    private DBusSigHandler<PortalSettings.SettingChanged> handler;

    private ThemePreference(AppSettings settings, Executor background, boolean followDesktop) {
        this.settings = settings;
        this.background = background;
        this.followDesktop = followDesktop;
        choice.addListener((o, was, now) -> {
            apply();
            if (!loading && settings != null) {
                run(() -> settings.put(KEY, now.name().toLowerCase(java.util.Locale.ROOT)));
            }
        });
    }

    /** Light until told otherwise, remembered nowhere and deaf to the desktop (tests, and windows without settings). */
    public static ThemePreference fixed() {
        ThemePreference p = new ThemePreference(null, Runnable::run, false);
        p.apply();
        return p;
    }

    /**
     * Applies light at once, then, from the background: the remembered choice and the desktop's preference (with a
     * watch on its changes), applied on the FX thread. Call on the FX thread.
     */
    public static ThemePreference load(AppSettings settings, Executor background) {
        ThemePreference p = new ThemePreference(settings, background, true);
        p.apply();
        p.run(p::loadNow);
        return p;
    }

    private void loadNow() {
        Optional<Choice> remembered = Optional.empty();
        if (settings != null) {
            remembered = settings.get(KEY).flatMap(ThemePreference::parse);
        }
        Optional<Theme> fromDesktop = watchDesktop();
        Optional<Choice> r = remembered;
        Platform.runLater(() -> {
            if (closed) {
                return; // a window that is gone must not repaint the one that replaced it
            }
            fromDesktop.ifPresent(t -> desktop = t);
            loading = true;
            try {
                r.ifPresent(choice::set);
            } finally {
                loading = false;
            }
            apply();
        });
    }

    private static Optional<Choice> parse(String s) {
        try {
            return Optional.of(Choice.valueOf(s.strip().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Reads the portal's color-scheme and subscribes to its changes; empty when there is no portal. */
    private Optional<Theme> watchDesktop() {
        if (!followDesktop || DesktopBus.address() == null) {
            return Optional.empty();
        }
        try {
            bus = DesktopBus.connect();
            handler = signal -> {
                if (PortalSettings.APPEARANCE.equals(signal.namespace()) && PortalSettings.COLOR_SCHEME.equals(signal.key())) {
                    scheme(signal.value()).ifPresent(t -> Platform.runLater(() -> {
                        if (closed) {
                            return;
                        }
                        desktop = t;
                        apply();
                    }));
                }
            };
            bus.addSigHandler(PortalSettings.SettingChanged.class, handler);
            PortalSettings portal = bus.getRemoteObject(PortalSettings.BUS_NAME, PortalSettings.OBJECT_PATH, PortalSettings.class);
            return scheme(portal.read(PortalSettings.APPEARANCE, PortalSettings.COLOR_SCHEME));
        } catch (DBusException | RuntimeException e) {
            LOG.info("No desktop colour-scheme preference: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** 1 = prefer dark, 2 = prefer light, 0 (no preference) = light. */
    static Optional<Theme> scheme(Variant<?> v) {
        Object value = v;
        while (value instanceof Variant<?> inner) {
            value = inner.getValue();
        }
        if (value instanceof Number n) {
            return Optional.of(n.intValue() == 1 ? Theme.DARK : Theme.LIGHT);
        }
        return Optional.empty();
    }

    private void apply() {
        Theme t = switch (choice.get()) {
            case LIGHT -> Theme.LIGHT;
            case DARK -> Theme.DARK;
            case SYSTEM -> desktop;
        };
        t.apply();
        applied.set(t);
    }

    private void run(Runnable r) {
        try {
            background.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("theme work after shutdown: {}", e.toString());
        }
    }

    /** The user's choice; setting it applies and remembers it. FX thread. */
    public ObjectProperty<Choice> choiceProperty() {
        return choice;
    }

    /** The theme on screen. */
    public ReadOnlyObjectProperty<Theme> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    @Override
    public void close() {
        closed = true;
        DBusConnection b = bus;
        bus = null;
        if (b != null) {
            try {
                if (handler != null) {
                    b.removeSigHandler(PortalSettings.SettingChanged.class, handler);
                }
                b.close();
            } catch (DBusException | IOException | RuntimeException e) {
                LOG.debug("closing the portal connection: {}", e.toString());
            }
        }
    }
}
