package io.culvert.app.client;

import io.culvert.app.common.TrayModel;
import java.awt.CheckboxMenuItem;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM with AWT not headless (AWT menus cannot be made in the headless test JVM; no display is needed to make them)
 * for {@link ClientTrayTest}: reads a {@link TrayModel}'s menu from stdin ({@link #encode}), builds the AWT tray menu
 * from it with {@link AwtTray#fill}, prints each AWT item as a panel shows it ("[x] office", "Disconnect
 * [disabled]", "---"), then clicks every enabled item and prints "clicked ID" for what the menu reported.
 */
public final class AwtMenuProbe {
    private AwtMenuProbe() {}

    /** The menu's items, one line each: id, label (URL-encoded), enabled, toggle, checked, separator. */
    static String encode(TrayModel m) {
        StringBuilder b = new StringBuilder();
        for (TrayModel.Item i : m.menu()) {
            b.append(i.id()).append(' ').append(URLEncoder.encode(i.label(), StandardCharsets.UTF_8)).append(' ')
                    .append(i.enabled()).append(' ').append(i.toggle()).append(' ').append(i.checked()).append(' ')
                    .append(i.separator()).append('\n');
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        List<TrayModel.Item> items = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            String[] f = line.split(" ");
            items.add(new TrayModel.Item(Integer.parseInt(f[0]), URLDecoder.decode(f[1], StandardCharsets.UTF_8),
                    Boolean.parseBoolean(f[2]), TrayModel.Toggle.valueOf(f[3]), Boolean.parseBoolean(f[4]), Boolean.parseBoolean(f[5])));
        }
        PopupMenu menu = new PopupMenu();
        List<Integer> clicks = new ArrayList<>();
        AwtTray.fill(menu, new TrayModel(TrayModel.Status.ACTIVE, "Culvert", "", List.of(), items), clicks::add);
        AwtTray.fill(menu, new TrayModel(TrayModel.Status.ACTIVE, "Culvert", "", List.of(), items), clicks::add); // a refill replaces
        for (int k = 0; k < menu.getItemCount(); k++) {
            MenuItem i = menu.getItem(k);
            String mark = i instanceof CheckboxMenuItem c ? (c.getState() ? "[x] " : "[ ] ") : "";
            System.out.println("AWT " + (i.getLabel().equals("-") ? "---" : mark + i.getLabel() + (i.isEnabled() ? "" : " [disabled]")));
        }
        for (int k = 0; k < menu.getItemCount(); k++) {
            MenuItem i = menu.getItem(k);
            if (!i.isEnabled() || i.getLabel().equals("-")) {
                continue;
            }
            if (i instanceof CheckboxMenuItem c) {
                for (var l : c.getItemListeners()) {
                    l.itemStateChanged(new ItemEvent(c, ItemEvent.ITEM_STATE_CHANGED, c.getLabel(), ItemEvent.SELECTED));
                }
            } else {
                for (var l : i.getActionListeners()) {
                    l.actionPerformed(new ActionEvent(i, ActionEvent.ACTION_PERFORMED, i.getLabel()));
                }
            }
        }
        clicks.forEach(id -> System.out.println("AWT clicked " + id));
        System.out.flush();
    }
}
