package io.culvert.app.common;

import java.util.List;

/**
 * What a tray icon shows, whole: its status, tooltip, icon images and menu. Immutable, so the bus threads that answer
 * the panel read one consistent picture while the FX thread builds the next.
 *
 * @param status Passive (nothing to see: the panel may hide the icon), Active, or NeedsAttention
 * @param icon the icon at a few sizes, as ARGB32 images
 * @param menu the menu's items, top to bottom
 */
public record TrayModel(Status status, String tooltipTitle, String tooltipText, List<StatusNotifierItem.Pixmap> icon,
        List<Item> menu) {
    public TrayModel {
        icon = List.copyOf(icon);
        menu = List.copyOf(menu);
    }

    /** The item's status as StatusNotifierItem spells it. */
    public enum Status {
        PASSIVE("Passive"), ACTIVE("Active"), NEEDS_ATTENTION("NeedsAttention");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** How an item shows a check: not at all, a checkmark, or a radio button. */
    public enum Toggle { NONE, CHECKMARK, RADIO }

    /**
     * One menu item; {@code id} is at least 1 (0 is the menu itself) and stays with what the item does, so a click on
     * a menu the panel drew a moment ago still means the same thing.
     */
    public record Item(int id, String label, boolean enabled, Toggle toggle, boolean checked, boolean separator) {
        /** A clickable item. */
        public static Item action(int id, String label) {
            return new Item(id, label, true, Toggle.NONE, false, false);
        }

        /** A line of text that cannot be clicked. */
        public static Item text(int id, String label) {
            return new Item(id, label, false, Toggle.NONE, false, false);
        }

        /** A radio item, on or off. */
        public static Item radio(int id, String label, boolean on) {
            return new Item(id, label, true, Toggle.RADIO, on, false);
        }

        /** A separator line. */
        public static Item separator(int id) {
            return new Item(id, "", true, Toggle.NONE, false, true);
        }

        /** The item with {@code enabled}. */
        public Item enabled(boolean on) {
            return new Item(id, label, on, toggle, checked, separator);
        }
    }
}
