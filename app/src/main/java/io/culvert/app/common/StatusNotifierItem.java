package io.culvert.app.common;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * The StatusNotifierItem interface ({@code org.kde.StatusNotifierItem}) a tray icon exports on the session bus; its
 * properties (Category, Id, Title, Status, IconName, IconPixmap, ToolTip, Menu …) are read through
 * {@code org.freedesktop.DBus.Properties}. The host (the panel) calls these methods when the icon is clicked.
 */
@DBusInterfaceName("org.kde.StatusNotifierItem")
public interface StatusNotifierItem extends DBusInterface {
    String INTERFACE = "org.kde.StatusNotifierItem";
    String OBJECT_PATH = "/StatusNotifierItem";

    /** A primary click on the icon at screen position (x, y). */
    void Activate(int x, int y);

    /** A middle click. */
    void SecondaryActivate(int x, int y);

    /** The host asks the item to show its own context menu (hosts that render {@code Menu} never call this). */
    void ContextMenu(int x, int y);

    /** A wheel turn over the icon. */
    void Scroll(int delta, String orientation);

    /** One ARGB32 image, big-endian (network byte order), row by row: the type {@code (iiay)}. */
    final class Pixmap extends Struct {
        @Position(0)
        public final int width;
        @Position(1)
        public final int height;
        @Position(2)
        public final byte[] argb;

        public Pixmap(int width, int height, byte[] argb) {
            this.width = width;
            this.height = height;
            this.argb = argb;
        }
    }

    /** The {@code ToolTip} property, {@code (sa(iiay)ss)}: icon name, icon pixmaps, title, text. */
    final class ToolTip extends Struct {
        @Position(0)
        public final String iconName;
        @Position(1)
        public final List<Pixmap> pixmaps;
        @Position(2)
        public final String title;
        @Position(3)
        public final String text;

        public ToolTip(String iconName, List<Pixmap> pixmaps, String title, String text) {
            this.iconName = iconName;
            this.pixmaps = pixmaps;
            this.title = title;
            this.text = text;
        }
    }

    /** The icon changed. */
    class NewIcon extends DBusSignal {
        public NewIcon(String path) throws DBusException {
            super(path);
        }
    }

    /** The tooltip changed. */
    class NewToolTip extends DBusSignal {
        public NewToolTip(String path) throws DBusException {
            super(path);
        }
    }

    /** The title changed. */
    class NewTitle extends DBusSignal {
        public NewTitle(String path) throws DBusException {
            super(path);
        }
    }

    /** The status changed to Passive, Active or NeedsAttention. */
    class NewStatus extends DBusSignal {
        private final String status;

        public NewStatus(String path, String status) throws DBusException {
            super(path, status);
            this.status = status;
        }

        public String status() {
            return status;
        }
    }
}
