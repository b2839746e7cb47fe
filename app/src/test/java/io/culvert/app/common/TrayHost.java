package io.culvert.app.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * A desktop panel's side of the StatusNotifier tray on a test's session bus: it owns
 * {@code org.kde.StatusNotifierWatcher}, records the items that register, and reads an item and its dbusmenu over
 * the bus the way a panel does, rendering the menu as text lines ("(•) office", "Disconnect [disabled]", "---").
 */
public final class TrayHost implements AutoCloseable {
    private final DBusConnection connection;
    private final List<String> registered = Collections.synchronizedList(new ArrayList<>());
    private final List<String> signals = Collections.synchronizedList(new ArrayList<>());

    private TrayHost(DBusConnection connection) {
        this.connection = connection;
    }

    /** Puts a watcher on {@code bus}. */
    public static TrayHost on(SessionBus bus) throws Exception {
        DBusConnection c = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
        TrayHost host = new TrayHost(c);
        c.requestBusName(StatusNotifierWatcher.BUS_NAME);
        c.exportObject(StatusNotifierWatcher.OBJECT_PATH, new StatusNotifierWatcher() {
            @Override
            public void RegisterStatusNotifierItem(String service) {
                host.registered.add(service);
            }

            @Override
            public String getObjectPath() {
                return StatusNotifierWatcher.OBJECT_PATH;
            }
        });
        c.addSigHandler(StatusNotifierItem.NewToolTip.class, s -> host.signals.add("NewToolTip"));
        c.addSigHandler(StatusNotifierItem.NewStatus.class, s -> host.signals.add("NewStatus " + s.status()));
        c.addSigHandler(StatusNotifierItem.NewIcon.class, s -> host.signals.add("NewIcon"));
        c.addSigHandler(DbusMenu.LayoutUpdated.class, s -> host.signals.add("LayoutUpdated"));
        return host;
    }

    /** The services that registered so far. */
    public List<String> registered() {
        synchronized (registered) {
            return List.copyOf(registered);
        }
    }

    /** The item signals received so far ("NewToolTip", "NewStatus Active", "LayoutUpdated" …). */
    public List<String> signals() {
        synchronized (signals) {
            return List.copyOf(signals);
        }
    }

    /** One property of the item {@code service}, as the panel gets it. */
    public Object itemProperty(String service, String name) throws Exception {
        Properties p = connection.getRemoteObject(service, StatusNotifierItem.OBJECT_PATH, Properties.class);
        return p.Get(StatusNotifierItem.INTERFACE, name);
    }

    /** The ToolTip's title and text. */
    public List<String> toolTip(String service) throws Exception {
        Object[] t = fields(itemProperty(service, "ToolTip"));
        return List.of(String.valueOf(t[2]), String.valueOf(t[3]));
    }

    private DbusMenu menu(String service) throws Exception {
        String path = itemProperty(service, "Menu").toString();
        return connection.getRemoteObject(service, path, DbusMenu.class);
    }

    /** One rendered line of a menu and the id to click. */
    public record Line(int id, String text) {}

    /** The item's menu as a panel shows it, read with GetLayout(0, -1, []). */
    public List<Line> menuLines(String service) throws Exception {
        DbusMenu.Pair<UInt32, DbusMenu.Layout> reply = menu(service).GetLayout(0, -1, List.of());
        List<Line> lines = new ArrayList<>();
        for (Variant<?> child : reply.second.children) {
            Object[] node = fields(child.getValue());
            int id = ((Number) node[0]).intValue();
            @SuppressWarnings("unchecked")
            Map<String, Variant<?>> p = (Map<String, Variant<?>>) node[1];
            lines.add(new Line(id, render(p)));
        }
        return lines;
    }

    private static String render(Map<String, Variant<?>> p) {
        if ("separator".equals(value(p, "type", "standard"))) {
            return "---";
        }
        // "__" is a literal underscore, a single one marks the mnemonic
        String label = String.valueOf(value(p, "label", "")).replace("__", "\u0000").replace("_", "").replace('\u0000', '_');
        String toggle = String.valueOf(value(p, "toggle-type", ""));
        int state = ((Number) value(p, "toggle-state", -1)).intValue();
        String mark = switch (toggle) {
            case "radio" -> state == 1 ? "(\u2022) " : "( ) ";
            case "checkmark" -> state == 1 ? "[x] " : "[ ] ";
            default -> "";
        };
        boolean enabled = (Boolean) value(p, "enabled", true);
        return mark + label + (enabled ? "" : " [disabled]");
    }

    private static Object value(Map<String, Variant<?>> p, String key, Object fallback) {
        Variant<?> v = p.get(key);
        return v == null ? fallback : v.getValue();
    }

    /** Clicks the menu item {@code id}, as the panel reports a click. */
    public void click(String service, int id) throws Exception {
        menu(service).Event(id, "clicked", new Variant<>(""), new UInt32(System.currentTimeMillis() / 1000));
    }

    /** A struct as the bus hands it to a client that has no class for it. */
    private static Object[] fields(Object struct) throws Exception {
        if (struct instanceof Object[] a) {
            return a;
        }
        if (struct instanceof org.freedesktop.dbus.Struct s) {
            return s.getParameters();
        }
        throw new IllegalStateException("not a struct: " + struct + " (" + struct.getClass() + ")");
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
