package io.culvert.app.common;

import io.culvert.engine.common.Threads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tray icon as a StatusNotifierItem on the session D-Bus, with its menu as a {@code com.canonical.dbusmenu} that the
 * panel renders itself (the KDE/freedesktop StatusNotifierItem protocol that KDE, GNOME's AppIndicator extension,
 * XFCE, LXQt and waybar show). The item owns a bus name of its own, exports the item and the menu, and registers with
 * the {@code org.kde.StatusNotifierWatcher}; when the watcher comes back (a panel restart) it registers again.
 *
 * <p>{@link #register} and {@link #update} block on the bus, so callers run them off the FX thread. Calls from the
 * panel arrive on the bus's threads and reach {@link Actions}, which must hop to their own thread. Thread-safe.
 */
public final class DesktopTray implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopTray.class);
    static final String MENU_PATH = "/MenuBar";

    /** What the panel asks of the app. */
    public interface Actions {
        /** The icon was clicked (the panel's primary action). */
        void activate();

        /** The menu item {@code id} was clicked. */
        void clicked(int id);
    }

    private final DBusConnection connection;
    private final String busName;
    private final String id;
    private final String title;
    private final Actions actions;
    private volatile TrayModel model;
    private volatile int revision = 1;
    private AutoCloseable watcherFollower;

    private DesktopTray(DBusConnection connection, String busName, String id, String title, TrayModel model, Actions actions) {
        this.connection = connection;
        this.busName = busName;
        this.id = id;
        this.title = title;
        this.model = model;
        this.actions = actions;
    }

    /**
     * Puts the icon in the desktop's StatusNotifier tray; empty when there is no session bus or no watcher on it (no
     * such tray: the caller may try another). Blocks.
     *
     * @param id the application's stable id ("culvert")
     */
    public static Optional<DesktopTray> register(String id, String title, TrayModel model, Actions actions) {
        DBusConnection c;
        try {
            c = DesktopBus.connect();
        } catch (DBusException | RuntimeException e) {
            LOG.info("No session D-Bus for a tray icon: {}", e.getMessage());
            return Optional.empty();
        }
        try {
            DBus bus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            if (!bus.NameHasOwner(StatusNotifierWatcher.BUS_NAME)) {
                LOG.info("No StatusNotifier tray on the session bus");
                close(c);
                return Optional.empty();
            }
            String name = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
            c.requestBusName(name);
            DesktopTray tray = new DesktopTray(c, name, id, title, model, actions);
            c.exportObject(StatusNotifierItem.OBJECT_PATH, tray.new Item());
            c.exportObject(MENU_PATH, tray.new Menu());
            tray.watcherFollower = c.addSigHandler(DBus.NameOwnerChanged.class, bus, s -> {
                if (StatusNotifierWatcher.BUS_NAME.equals(s.name) && !s.newOwner.isEmpty()) {
                    Threads.virtual("culvert-tray-register").start(tray::registerWithWatcher); // not on the thread delivering signals
                }
            });
            if (!tray.registerWithWatcher()) {
                tray.close();
                return Optional.empty();
            }
            return Optional.of(tray);
        } catch (DBusException | RuntimeException e) {
            LOG.info("The StatusNotifier tray refused the icon: {}", e.getMessage());
            close(c);
            return Optional.empty();
        }
    }

    private boolean registerWithWatcher() {
        try {
            connection.getRemoteObject(StatusNotifierWatcher.BUS_NAME, StatusNotifierWatcher.OBJECT_PATH,
                    StatusNotifierWatcher.class).RegisterStatusNotifierItem(busName);
            LOG.info("Tray icon registered as {}", busName);
            return true;
        } catch (DBusException | DBusExecutionException | IllegalStateException e) {
            LOG.info("Registering the tray icon failed: {}", e.getMessage());
            return false;
        }
    }

    /** The bus name the item is exported under (what the watcher was given). */
    public String busName() {
        return busName;
    }

    /** Shows {@code next}, telling the panel what changed. Blocks on the bus. */
    public void update(TrayModel next) {
        TrayModel was = model;
        model = next;
        String path = StatusNotifierItem.OBJECT_PATH;
        try {
            if (was.status() != next.status()) {
                connection.sendMessage(new StatusNotifierItem.NewStatus(path, next.status().wire()));
            }
            if (!was.tooltipTitle().equals(next.tooltipTitle()) || !was.tooltipText().equals(next.tooltipText())) {
                connection.sendMessage(new StatusNotifierItem.NewToolTip(path));
            }
            if (!was.icon().equals(next.icon())) {
                connection.sendMessage(new StatusNotifierItem.NewIcon(path));
            }
            if (!was.menu().equals(next.menu())) {
                revision++;
                connection.sendMessage(new DbusMenu.LayoutUpdated(MENU_PATH, new UInt32(revision), 0));
            }
        } catch (DBusException | RuntimeException e) {
            LOG.info("Updating the tray icon failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (watcherFollower != null) {
            try {
                watcherFollower.close();
            } catch (Exception e) {
                LOG.debug("removing the watcher handler: {}", e.toString());
            }
        }
        close(connection); // the bus name goes with the connection, and the watcher drops the item
    }

    private static void close(DBusConnection c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the session bus: {}", e.toString());
        }
    }

    // ---- what the panel reads

    private Map<String, Variant<?>> itemProperties() {
        TrayModel m = model;
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        p.put("Category", new Variant<>("ApplicationStatus"));
        p.put("Id", new Variant<>(id));
        p.put("Title", new Variant<>(title));
        p.put("Status", new Variant<>(m.status().wire()));
        p.put("WindowId", new Variant<>(0));
        p.put("IconName", new Variant<>(""));
        p.put("IconPixmap", new Variant<>(m.icon(), "a(iiay)"));
        p.put("OverlayIconName", new Variant<>(""));
        p.put("AttentionIconName", new Variant<>(""));
        p.put("ToolTip", new Variant<>(new StatusNotifierItem.ToolTip("", m.icon(), m.tooltipTitle(), m.tooltipText()),
                "(sa(iiay)ss)"));
        p.put("ItemIsMenu", new Variant<>(false));
        p.put("Menu", new Variant<>(new DBusPath(MENU_PATH), "o"));
        return p;
    }

    private static Map<String, Variant<?>> menuProperties() {
        return Map.of("Version", new Variant<>(new UInt32(3)), "TextDirection", new Variant<>("ltr"), "Status",
                new Variant<>("normal"), "IconThemePath", new Variant<>(List.of(), "as"));
    }

    private static <A> A property(Map<String, Variant<?>> all, String iface, String name) {
        Variant<?> v = all.get(name);
        if (v == null) {
            throw new DBusExecutionException("No property " + name + " on " + iface);
        }
        @SuppressWarnings("unchecked")
        A a = (A) v; // sent as the variant itself, so the signature stays the one given above
        return a;
    }

    /** The dbusmenu properties of one item, defaults left out as the protocol asks. */
    static Map<String, Variant<?>> itemProperties(TrayModel.Item i) {
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        if (i.separator()) {
            p.put("type", new Variant<>("separator"));
            return p;
        }
        p.put("label", new Variant<>(i.label().replace("_", "__"))); // an underscore marks a mnemonic
        if (!i.enabled()) {
            p.put("enabled", new Variant<>(false));
        }
        if (i.toggle() != TrayModel.Toggle.NONE) {
            p.put("toggle-type", new Variant<>(i.toggle() == TrayModel.Toggle.RADIO ? "radio" : "checkmark"));
            p.put("toggle-state", new Variant<>(i.checked() ? 1 : 0));
        }
        return p;
    }

    private Map<String, Variant<?>> filter(Map<String, Variant<?>> p, List<String> names) {
        if (names == null || names.isEmpty()) {
            return p;
        }
        Map<String, Variant<?>> out = new LinkedHashMap<>(p);
        out.keySet().retainAll(names);
        return out;
    }

    /** The exported StatusNotifierItem. */
    private final class Item implements StatusNotifierItem, Properties {
        @Override
        public void Activate(int x, int y) {
            actions.activate();
        }

        @Override
        public void SecondaryActivate(int x, int y) {
            actions.activate();
        }

        @Override
        public void ContextMenu(int x, int y) {
            actions.activate(); // hosts that cannot draw our menu: at least bring the window up
        }

        @Override
        public void Scroll(int delta, String orientation) {}

        @Override
        public <A> A Get(String iface, String name) {
            return property(itemProperties(), iface, name);
        }

        @Override
        public <A> void Set(String iface, String name, A value) {
            throw new DBusExecutionException("Property " + name + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            return StatusNotifierItem.INTERFACE.equals(iface) ? itemProperties() : Map.of();
        }

        @Override
        public String getObjectPath() {
            return StatusNotifierItem.OBJECT_PATH;
        }
    }

    /** The exported menu. */
    private final class Menu implements DbusMenu, Properties {
        @Override
        public Pair<UInt32, Layout> GetLayout(int parentId, int recursionDepth, List<String> names) {
            TrayModel m = model;
            int rev = revision;
            if (parentId != 0) {
                TrayModel.Item i = find(m, parentId);
                return new Pair<>(new UInt32(rev), new Layout(i.id(), filter(itemProperties(i), names), List.of()));
            }
            List<Variant<?>> children = new ArrayList<>();
            if (recursionDepth != 0) {
                for (TrayModel.Item i : m.menu()) {
                    children.add(new Variant<>(new Layout(i.id(), filter(itemProperties(i), names), List.of()),
                            LAYOUT_SIGNATURE));
                }
            }
            return new Pair<>(new UInt32(rev), new Layout(0, Map.of("children-display", new Variant<>("submenu")), children));
        }

        @Override
        public List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> names) {
            TrayModel m = model;
            return m.menu().stream().filter(i -> ids.isEmpty() || ids.contains(i.id()))
                    .map(i -> new ItemProperties(i.id(), filter(itemProperties(i), names))).toList();
        }

        @Override
        public Variant<?> GetProperty(int itemId, String name) {
            Variant<?> v = itemProperties(find(model, itemId)).get(name);
            if (v == null) {
                throw new DBusExecutionException("No property " + name + " on item " + itemId);
            }
            return v;
        }

        @Override
        public void Event(int itemId, String eventId, Variant<?> data, UInt32 timestamp) {
            if ("clicked".equals(eventId)) {
                TrayModel.Item i = find(model, itemId);
                if (i.enabled() && !i.separator()) {
                    actions.clicked(itemId);
                }
            }
        }

        @Override
        public List<Integer> EventGroup(List<EventItem> events) {
            List<Integer> missing = new ArrayList<>();
            for (EventItem e : events) {
                if (model.menu().stream().noneMatch(i -> i.id() == e.id)) {
                    missing.add(e.id);
                } else {
                    Event(e.id, e.eventId, e.data, e.timestamp);
                }
            }
            return missing;
        }

        @Override
        public boolean AboutToShow(int itemId) {
            return false; // the layout is always current
        }

        @Override
        public Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids) {
            return new Pair<>(List.of(), List.of());
        }

        private TrayModel.Item find(TrayModel m, int itemId) {
            return m.menu().stream().filter(i -> i.id() == itemId).findFirst()
                    .orElseThrow(() -> new DBusExecutionException("No menu item " + itemId));
        }

        @Override
        public <A> A Get(String iface, String name) {
            return property(menuProperties(), iface, name);
        }

        @Override
        public <A> void Set(String iface, String name, A value) {
            throw new DBusExecutionException("Property " + name + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            return DbusMenu.INTERFACE.equals(iface) ? menuProperties() : Map.of();
        }

        @Override
        public String getObjectPath() {
            return MENU_PATH;
        }
    }
}
