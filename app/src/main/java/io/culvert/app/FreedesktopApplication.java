package io.culvert.app;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.Variant;

/**
 * The freedesktop.org {@code org.freedesktop.Application} interface (Desktop Entry specification, "D-Bus
 * Activation"), which a running desktop application exports under its well-known name so that starting it again,
 * or opening a file with it, reaches the copy that runs. Culvert exports it as {@value #BUS_NAME} at
 * {@value #OBJECT_PATH}.
 */
@DBusInterfaceName("org.freedesktop.Application")
public interface FreedesktopApplication extends DBusInterface {
    /** The app's well-known name on the session bus (its reverse-DNS application id). */
    String BUS_NAME = "io.culvert.Culvert";
    /** The object path the specification derives from the name. */
    String OBJECT_PATH = "/io/culvert/Culvert";

    /** Shows and raises the window. */
    void Activate(Map<String, Variant<?>> platformData);

    /** Shows the window and opens {@code uris} (file: URIs of profiles to import). */
    void Open(List<String> uris, Map<String, Variant<?>> platformData);

    /** Runs a named action; Culvert has none, so this only shows the window. */
    void ActivateAction(String actionName, List<Variant<?>> parameter, Map<String, Variant<?>> platformData);
}
