package io.culvert.app.common;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * The tray host's registry ({@code org.kde.StatusNotifierWatcher} at {@code /StatusNotifierWatcher}): the one call an
 * item makes. Desktops with a StatusNotifier tray (KDE, GNOME with the AppIndicator extension, XFCE, waybar …) own
 * this name; where nobody does, there is no such tray.
 */
@DBusInterfaceName("org.kde.StatusNotifierWatcher")
public interface StatusNotifierWatcher extends DBusInterface {
    String BUS_NAME = "org.kde.StatusNotifierWatcher";
    String OBJECT_PATH = "/StatusNotifierWatcher";

    /** Registers an item by the bus name that exports it at {@code /StatusNotifierItem} (or by an object path). */
    void RegisterStatusNotifierItem(String service);
}
