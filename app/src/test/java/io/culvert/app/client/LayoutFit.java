package io.culvert.app.client;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Walks the scene graphs of the app's windows and lists what does not fit: a {@link Labeled} whose rendered text is
 * not its whole text (an ellipsis) unless a tooltip shows the whole text, a control that sticks out of its window,
 * of a clipping ancestor (a split pane's or tab pane's content) or of its parent, and a dialog that is off the
 * screen or not centred on its owner. Scrollable containers (scroll panes, list and table rows) are exempt from the
 * clipping rule: showing part of their content is what they are for. FX thread only.
 */
final class LayoutFit {
    private static final double SLACK = 1.0;

    private LayoutFit() {}

    /** The problems in every showing stage, each prefixed by {@code where} and the window's title. */
    static List<String> problems(String where) {
        return problems(where, true);
    }

    /**
     * As {@link #problems(String)}; {@code fresh}: every size measured afresh (after a change of text, theme or
     * scale); otherwise only what the last change (the window's size) invalidated is laid out again.
     */
    static List<String> problems(String where, boolean fresh) {
        List<String> out = new ArrayList<>();
        for (Window w : List.copyOf(Window.getWindows())) {
            if (w instanceof Stage s && s.isShowing() && s.getScene() != null) {
                Bounds size = windowBounds(s.getScene());
                String prefix = where + " [" + (s.getTitle() == null ? "window" : s.getTitle()) + " "
                        + (int) size.getWidth() + "x" + (int) size.getHeight() + "]";
                problems(s.getScene(), prefix, fresh, out);
                if (s.getOwner() != null) {
                    window(s, prefix, out);
                }
            }
        }
        return out;
    }

    static void problems(Scene scene, String prefix, boolean fresh, List<String> out) {
        // Measure and lay out everything afresh first, so a text that just changed (a live rate) is judged as it will
        // be drawn, and sizes cached at another size, theme or scale (pixel snapping) are not reused; twice, for what
        // the first pass created (cells, skins).
        for (int pass = 0; pass < 2; pass++) {
            if (fresh) {
                relayout(scene.getRoot());
            }
            scene.getRoot().applyCss();
            scene.getRoot().layout();
        }
        Bounds sceneBounds = windowBounds(scene);
        walk(scene.getRoot(), sceneBounds, prefix, out);
    }

    /**
     * The window's content area: the root's size (a scene resizes its root to its own size; a test that lays the
     * root out at another size before the window's next pulse has resized the root, not yet the scene).
     */
    private static Bounds windowBounds(Scene scene) {
        return scene.getRoot() instanceof Region r ? new BoundingBox(0, 0, r.getWidth(), r.getHeight())
                : new BoundingBox(0, 0, scene.getWidth(), scene.getHeight());
    }

    private static void relayout(Parent p) {
        p.requestLayout();
        for (Node n : p.getChildrenUnmodifiable()) {
            if (n instanceof Parent c) {
                relayout(c);
            }
        }
    }

    private static void walk(Node n, Bounds scene, String prefix, List<String> out) {
        if (!n.isVisible() || n.getOpacity() == 0) {
            return;
        }
        if (n instanceof Labeled l) {
            labeled(l, prefix, out);
        }
        if (n instanceof Control c) {
            clipped(c, scene, prefix, out);
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                walk(child, scene, prefix, out);
            }
        }
    }

    /** The text on screen is the whole text, or a tooltip shows it. */
    private static void labeled(Labeled l, String prefix, List<String> out) {
        String text = l.getText();
        if (text == null || text.isEmpty() || l.getContentDisplay() == ContentDisplay.GRAPHIC_ONLY) {
            return;
        }
        Text rendered = null;
        for (Node child : l.getChildrenUnmodifiable()) {
            if (child instanceof Text t) {
                rendered = t;
                break;
            }
        }
        if (rendered == null) {
            return;
        }
        String whole = l.isMnemonicParsing() ? text.replaceFirst("_(?=.)", "") : text;
        String shown = rendered.isVisible() ? rendered.getText() : "";
        if (shown.equals(whole)) {
            return;
        }
        Tooltip tip = l.getTooltip();
        if (tip != null && whole.equals(tip.getText())) {
            return;
        }
        out.add(prefix + " truncated " + describe(l) + ": shows \"" + shown + "\" of \"" + whole + "\" (width " + (int) l.getWidth()
                + ", needs " + (int) Math.ceil(l.prefWidth(-1)) + ")");
    }

    /** Inside the window, inside every clipping ancestor up to the first scrollable one, inside its parent. */
    private static void clipped(Control c, Bounds scene, String prefix, List<String> out) {
        if (c.getWidth() <= 0 && c.getHeight() <= 0) {
            return;
        }
        for (Parent p = c.getParent(); p != null; p = p.getParent()) {
            if (scrollable(p)) {
                return; // a row or cell of a list, a table or a scroll pane; the scrollable control itself is checked
            }
        }
        Bounds b = c.localToScene(c.getLayoutBounds());
        if (!inside(b, scene)) {
            out.add(prefix + " clipped by the window: " + describe(c) + " at " + rect(b));
            return;
        }
        Parent direct = c.getParent();
        for (Parent p = direct; p != null; p = p.getParent()) {
            if (p.getClip() != null) {
                Bounds clip = p.localToScene(p.getClip().getBoundsInParent());
                if (!inside(b, clip)) {
                    out.add(prefix + " clipped by " + describe(p) + ": " + describe(c) + " at " + rect(b) + " outside " + rect(clip));
                    return;
                }
            }
            if (p == direct && p instanceof Region r && !(p instanceof Control)) {
                Bounds pb = r.localToScene(r.getLayoutBounds());
                if (!inside(b, pb)) {
                    out.add(prefix + " overflows its parent " + describe(p) + ": " + describe(c) + " at " + rect(b) + " outside "
                            + rect(pb));
                    return;
                }
            }
        }
    }

    /** A dialog lies on the screen, centred horizontally on its owner, its top inside the owner. */
    private static void window(Stage s, String prefix, List<String> out) {
        Rectangle2D screen = Screen.getPrimary().getBounds();
        if (s.getX() < screen.getMinX() - SLACK || s.getY() < screen.getMinY() - SLACK
                || s.getX() + s.getWidth() > screen.getMaxX() + SLACK || s.getY() + s.getHeight() > screen.getMaxY() + SLACK) {
            out.add(prefix + " dialog off the screen: " + (int) s.getX() + "," + (int) s.getY() + " " + (int) s.getWidth() + "x"
                    + (int) s.getHeight() + " on " + (int) screen.getWidth() + "x" + (int) screen.getHeight());
        }
        Window o = s.getOwner();
        double dx = (s.getX() + s.getWidth() / 2) - (o.getX() + o.getWidth() / 2);
        double dy = (s.getY() + s.getHeight() / 2) - (o.getY() + o.getHeight() / 2);
        if (Math.abs(dx) > 2 || Math.abs(dy) > 2) {
            out.add(prefix + " dialog not centred on its window: off by " + (int) dx + "," + (int) dy);
        }
    }

    private static boolean scrollable(Parent p) {
        return p instanceof ScrollPane || p instanceof VirtualFlow<?> || p.getStyleClass().contains("viewport")
                || p.getClass().getSimpleName().equals("ClippedContainer")
                // A table's header row scrolls sideways with its columns; the table itself is checked.
                || p.getClass().getSimpleName().equals("TableHeaderRow");
    }

    private static boolean inside(Bounds b, Bounds outer) {
        return b.getMinX() >= outer.getMinX() - SLACK && b.getMinY() >= outer.getMinY() - SLACK
                && b.getMaxX() <= outer.getMaxX() + SLACK && b.getMaxY() <= outer.getMaxY() + SLACK;
    }

    private static String rect(Bounds b) {
        return String.format("(%.0f,%.0f %.0fx%.0f)", b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight());
    }

    static String describe(Node n) {
        StringBuilder sb = new StringBuilder(n.getClass().getSimpleName());
        if (n.getId() != null) {
            sb.append('#').append(n.getId());
        }
        if (n instanceof Labeled l && l.getText() != null) {
            sb.append(" \"").append(l.getText().length() > 40 ? l.getText().substring(0, 40) + "…" : l.getText()).append('"');
        }
        for (Parent p = n.getParent(); p != null; p = p.getParent()) {
            if (p.getId() != null) {
                sb.append(" in #").append(p.getId());
                break;
            }
        }
        return sb.toString();
    }
}
