package io.culvert.app.common;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desktop notifications through the freedesktop Notifications service on the session D-Bus. The bus is the one
 * {@code DBUS_SESSION_BUS_ADDRESS} names (or the system property {@value DesktopBus#ADDRESS_PROPERTY}); the connection is opened
 * on first use and kept. Every call blocks on the bus, so callers run it off the FX thread; {@link #show} answers
 * empty when there is no bus or no notification service, and the caller falls back to an in-window toast.
 * Thread-safe.
 */
public final class DesktopNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopNotifications.class);
    private static final String APP_NAME = "Culvert";
    private static final String ICON = "culvert";

    private DBusConnection connection;
    private FreedesktopNotifications service;
    private boolean unavailable;

    private DesktopNotifications() {}

    /** Notifications on the session bus this process was given, if any. */
    public static DesktopNotifications session() {
        return new DesktopNotifications();
    }

    /**
     * Shows a notification, replacing the one {@code replaces} returned earlier (0 for none); returns its id, or empty
     * when no notification service answered. Blocks on the bus.
     *
     * @param urgent shown with critical urgency (a failure), else normal
     */
    public synchronized Optional<Integer> show(String summary, String body, boolean urgent, int replaces) {
        FreedesktopNotifications s = service();
        if (s == null) {
            return Optional.empty();
        }
        try {
            Map<String, Variant<?>> hints = Map.of("urgency", new Variant<>((byte) (urgent ? 2 : 1)),
                    "desktop-entry", new Variant<>("culvert"));
            UInt32 id = s.show(APP_NAME, new UInt32(Math.max(0, replaces)), ICON, summary, body, List.of(), hints, -1);
            return Optional.of(id.intValue());
        } catch (DBusExecutionException | IllegalStateException e) {
            // no notification service on this bus (ServiceUnknown), or the bus went away: toasts from now on
            LOG.info("Desktop notifications unavailable: {}", e.getMessage());
            unavailable = true;
            closeQuietly();
            return Optional.empty();
        }
    }

    private FreedesktopNotifications service() {
        if (service != null || unavailable) {
            return service;
        }
        try {
            connection = DesktopBus.connect();
            service = connection.getRemoteObject(FreedesktopNotifications.BUS_NAME, FreedesktopNotifications.OBJECT_PATH,
                    FreedesktopNotifications.class);
        } catch (DBusException | RuntimeException e) {
            LOG.info("No session D-Bus for notifications: {}", e.getMessage());
            unavailable = true;
            closeQuietly();
        }
        return service;
    }

    private void closeQuietly() {
        service = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the session bus: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
