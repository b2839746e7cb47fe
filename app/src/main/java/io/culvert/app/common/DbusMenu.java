package io.culvert.app.common;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The menu a StatusNotifierItem names in its {@code Menu} property ({@code com.canonical.dbusmenu}, version 3): the
 * host reads the tree with GetLayout, renders it itself, and reports clicks with Event. Items are numbered, 0 is the
 * root; an item's properties are a map ("label", "enabled", "type", "toggle-type", "toggle-state", …) that leaves out
 * defaults.
 */
@DBusInterfaceName("com.canonical.dbusmenu")
public interface DbusMenu extends DBusInterface {
    String INTERFACE = "com.canonical.dbusmenu";
    /** The type of one node of the tree: id, properties, children (each a variant holding a node). */
    String LAYOUT_SIGNATURE = "(ia{sv}av)";

    /** {@code GetLayout(parentId, recursionDepth, propertyNames) → (revision, layout)}; depth -1 is the whole tree. */
    Pair<UInt32, Layout> GetLayout(int parentId, int recursionDepth, List<String> propertyNames);

    /** {@code GetGroupProperties(ids, propertyNames) → a(ia{sv})}; no ids means every item. */
    List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames);

    /** One property of one item. */
    Variant<?> GetProperty(int id, String name);

    /** {@code Event(id, eventId, data, timestamp)}: "clicked", "hovered", "opened", "closed". */
    void Event(int id, String eventId, Variant<?> data, UInt32 timestamp);

    /** Several events at once; answers the ids that were not found. */
    List<Integer> EventGroup(List<EventItem> events);

    /** The host is about to show the submenu {@code id}; true when the layout should be read again. */
    boolean AboutToShow(int id);

    /** AboutToShow for several submenus: (ids needing an update, ids not found). */
    Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids);

    /** Two out-arguments. */
    final class Pair<A, B> extends Tuple {
        @Position(0)
        public final A first;
        @Position(1)
        public final B second;

        public Pair(A first, B second) {
            this.first = first;
            this.second = second;
        }
    }

    /** One node of the menu tree, {@value #LAYOUT_SIGNATURE}. */
    final class Layout extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;
        @Position(2)
        public final List<Variant<?>> children;

        public Layout(int id, Map<String, Variant<?>> properties, List<Variant<?>> children) {
            this.id = id;
            this.properties = properties;
            this.children = children;
        }
    }

    /** An item's id and properties, {@code (ia{sv})}. */
    final class ItemProperties extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;

        public ItemProperties(int id, Map<String, Variant<?>> properties) {
            this.id = id;
            this.properties = properties;
        }
    }

    /** One event of EventGroup, {@code (isvu)}. */
    final class EventItem extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final String eventId;
        @Position(2)
        public final Variant<?> data;
        @Position(3)
        public final UInt32 timestamp;

        public EventItem(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            this.id = id;
            this.eventId = eventId;
            this.data = data;
            this.timestamp = timestamp;
        }
    }

    /** {@code LayoutUpdated(revision, parent)}: the tree under {@code parent} changed. */
    class LayoutUpdated extends DBusSignal {
        public final UInt32 revision;
        public final int parent;

        public LayoutUpdated(String path, UInt32 revision, int parent) throws DBusException {
            super(path, revision, parent);
            this.revision = revision;
            this.parent = parent;
        }
    }

    /** {@code ItemsPropertiesUpdated(updated, removed)}: properties changed without the tree changing. */
    class ItemsPropertiesUpdated extends DBusSignal {
        public final List<ItemProperties> updated;
        public final List<RemovedProperties> removed;

        public ItemsPropertiesUpdated(String path, List<ItemProperties> updated, List<RemovedProperties> removed)
                throws DBusException {
            super(path, updated, removed);
            this.updated = updated;
            this.removed = removed;
        }
    }

    /** Properties an item lost, {@code (ias)}. */
    final class RemovedProperties extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final List<String> names;

        public RemovedProperties(int id, List<String> names) {
            this.id = id;
            this.names = names;
        }
    }
}
