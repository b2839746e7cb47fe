package io.culvert.app.common;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The freedesktop.org Desktop Notifications interface (version 1.2), as the session bus offers it at
 * {@code org.freedesktop.Notifications /org/freedesktop/Notifications}: only the call Culvert makes.
 */
@DBusInterfaceName("org.freedesktop.Notifications")
public interface FreedesktopNotifications extends DBusInterface {
    /** The bus name and object path of the desktop's notification server. */
    String BUS_NAME = "org.freedesktop.Notifications";
    String OBJECT_PATH = "/org/freedesktop/Notifications";

    /**
     * {@code Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout) → id}: shows a
     * notification, replacing the one with {@code replacesId} when it is not 0.
     */
    @DBusMemberName("Notify")
    UInt32 show(String appName, UInt32 replacesId, String appIcon, String summary, String body, List<String> actions,
            Map<String, Variant<?>> hints, int expireTimeout);
}
