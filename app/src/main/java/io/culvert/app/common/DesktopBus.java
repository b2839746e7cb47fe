package io.culvert.app.common;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

/** The session D-Bus the app talks to: its address and a private connection to it. */
public final class DesktopBus {
    /** Overrides {@code DBUS_SESSION_BUS_ADDRESS} (tests start their own bus). */
    public static final String ADDRESS_PROPERTY = "culvert.dbus.session";

    private DesktopBus() {}

    /** The session bus address this process was given, or null. */
    public static String address() {
        String a = System.getProperty(ADDRESS_PROPERTY);
        if (a != null && !a.isBlank()) {
            return a;
        }
        String env = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        return env == null || env.isBlank() ? null : env;
    }

    /** A private connection to the session bus; blocks. */
    public static DBusConnection connect() throws DBusException {
        String a = address();
        if (a == null) {
            throw new DBusException("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
        }
        return DBusConnectionBuilder.forAddress(a).withShared(false).build();
    }
}
