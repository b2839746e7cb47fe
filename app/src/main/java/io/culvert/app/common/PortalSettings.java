package io.culvert.app.common;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

/**
 * The XDG desktop portal's settings interface ({@code org.freedesktop.portal.Settings} on
 * {@code org.freedesktop.portal.Desktop /org/freedesktop/portal/desktop}): the one read and the one signal Culvert
 * uses, for {@code org.freedesktop.appearance color-scheme} (0 no preference, 1 dark, 2 light).
 */
@DBusInterfaceName("org.freedesktop.portal.Settings")
public interface PortalSettings extends DBusInterface {
    String BUS_NAME = "org.freedesktop.portal.Desktop";
    String OBJECT_PATH = "/org/freedesktop/portal/desktop";
    String APPEARANCE = "org.freedesktop.appearance";
    String COLOR_SCHEME = "color-scheme";

    /** {@code Read(namespace, key) → v}; the value may come wrapped in one more variant (portal versions before 2). */
    @DBusMemberName("Read")
    Variant<?> read(String namespace, String key);

    /** {@code SettingChanged(namespace, key, value)}. */
    @DBusMemberName("SettingChanged")
    class SettingChanged extends DBusSignal {
        private final String namespace;
        private final String key;
        private final Variant<?> value;

        public SettingChanged(String path, String namespace, String key, Variant<?> value) throws DBusException {
            super(path, namespace, key, value);
            this.namespace = namespace;
            this.key = key;
            this.value = value;
        }

        public String namespace() {
            return namespace;
        }

        public String key() {
            return key;
        }

        public Variant<?> value() {
            return value;
        }
    }
}
