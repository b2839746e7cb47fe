package io.culvert.app.common;

import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.Dialog;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

/**
 * How the app's layouts give text the room it needs (issue 12, docs/adr/0024): a label or button is never narrower
 * than its text ({@link #whole}); text that may be longer than any room it gets (a cipher suite, a status line, a
 * table cell) is cut only with a tooltip that shows all of it ({@link #tipped}); a form's label column is as wide as
 * its widest label ({@link #labelColumn}); table columns are at least as wide as their headers ({@link #headers});
 * dialogs size to their content and open centred on their window ({@link #dialog}). FX thread only.
 */
public final class Fit {
    private Fit() {}

    /** Each labeled never narrower than its text. */
    @SafeVarargs
    public static <T extends Labeled> T whole(T first, T... more) {
        first.setMinWidth(Region.USE_PREF_SIZE);
        for (T l : more) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        return first;
    }

    /** Wraps at the room it gets, never cut: all lines shown (minimum height = preferred). */
    public static <T extends Labeled> T wrapped(T l) {
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    /** May be cut where room runs out, with a tooltip that shows the whole text. */
    public static <T extends Labeled> T tipped(T l) {
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(l.textProperty());
        tip.setWrapText(true);
        tip.setMaxWidth(640);
        l.setTooltip(tip);
        return l;
    }

    /** A form's label column: as wide as its widest label, never shrunk. */
    public static ColumnConstraints labelColumn() {
        ColumnConstraints c = new ColumnConstraints();
        c.setMinWidth(Region.USE_PREF_SIZE);
        c.setHgrow(Priority.NEVER);
        return c;
    }

    /** A form's field column: takes the rest, not below {@code min}. */
    public static ColumnConstraints fieldColumn(double min) {
        ColumnConstraints c = new ColumnConstraints();
        c.setMinWidth(min);
        c.setHgrow(Priority.ALWAYS);
        c.setFillWidth(true);
        return c;
    }

    /** Every column at least as wide as its header's text, once the table's skin has laid the headers out. */
    public static void headers(TableView<?> table) {
        Runnable fit = () -> {
            for (Node n : table.lookupAll(".column-header")) {
                if (n instanceof TableColumnHeader h && h.getTableColumn() != null) {
                    TableColumnBase<?, ?> column = h.getTableColumn();
                    Node label = h.lookup(".label");
                    if (label instanceof Labeled l) {
                        double need = Math.ceil(l.prefWidth(-1) + h.snappedLeftInset() + h.snappedRightInset()) + 12;
                        if (column.getMinWidth() < need) {
                            column.setMinWidth(need);
                            if (column.getPrefWidth() < need) {
                                column.setPrefWidth(need);
                            }
                        }
                    }
                }
            }
        };
        table.skinProperty().addListener((o, a, skin) -> Platform.runLater(fit));
        table.sceneProperty().addListener((o, a, scene) -> Platform.runLater(fit));
        table.getColumns().forEach(c -> c.textProperty().addListener((o, a, b) -> Platform.runLater(fit)));
    }

    /**
     * The dialog sizes to its content (within the screen) and opens centred on its owner window; it shows the app's
     * focus ring ({@link Theme#STYLESHEET}); when its render scale changes while it is open (moved to a screen with
     * another scale, the desktop's scale changed), it grows again, about its centre, to its content where the new
     * scale's pixel snapping needs a little more room.
     */
    public static <D extends Dialog<?>> D dialog(D d) {
        if (!d.getDialogPane().getStylesheets().contains(Theme.STYLESHEET)) {
            d.getDialogPane().getStylesheets().add(Theme.STYLESHEET);
        }
        Window w = d.getDialogPane().getScene() == null ? null : d.getDialogPane().getScene().getWindow();
        if (w != null) {
            w.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> place(w, d.getOwner()));
            javafx.beans.InvalidationListener rescaled = o -> {
                if (w.isShowing() && w.getScene() != null) {
                    relayout(w.getScene().getRoot());
                    grow(w);
                }
            };
            w.renderScaleXProperty().addListener(rescaled);
            w.renderScaleYProperty().addListener(rescaled);
        }
        return d;
    }

    private static void place(Window w, Window owner) {
        if (w instanceof Stage s) {
            s.sizeToScene();
        }
        grow(w);
        Rectangle2D screen = (owner == null ? Screen.getPrimary()
                : Screen.getScreensForRectangle(owner.getX(), owner.getY(), owner.getWidth(), owner.getHeight()).stream()
                        .findFirst().orElse(Screen.getPrimary())).getVisualBounds();
        if (w.getWidth() > screen.getWidth()) {
            w.setWidth(screen.getWidth());
        }
        if (w.getHeight() > screen.getHeight()) {
            w.setHeight(screen.getHeight());
        }
        double cx = owner == null ? screen.getMinX() + screen.getWidth() / 2 : owner.getX() + owner.getWidth() / 2;
        double cy = owner == null ? screen.getMinY() + screen.getHeight() / 2 : owner.getY() + owner.getHeight() / 2;
        double x = Math.max(screen.getMinX(), Math.min(cx - w.getWidth() / 2, screen.getMaxX() - w.getWidth()));
        double y = Math.max(screen.getMinY(), Math.min(cy - w.getHeight() / 2, screen.getMaxY() - w.getHeight()));
        w.setX(x);
        w.setY(y);
    }

    /** Every parent measured afresh (sizes cached at the old scale's pixel snapping are stale). */
    private static void relayout(javafx.scene.Parent p) {
        p.requestLayout();
        for (Node n : p.getChildrenUnmodifiable()) {
            if (n instanceof javafx.scene.Parent c) {
                relayout(c);
            }
        }
    }

    /** At least the content's preferred size (sizeToScene keeps a dialog's first, smaller guess on some platforms). */
    private static void grow(Window w) {
        if (w.getScene() != null && w.getScene().getRoot() != null) {
            javafx.scene.Parent root = w.getScene().getRoot();
            double frameW = w.getWidth() - w.getScene().getWidth();
            double frameH = w.getHeight() - w.getScene().getHeight();
            double pw = Math.ceil(Math.max(root.prefWidth(-1), root.minWidth(-1)));
            if (w.getScene().getWidth() < pw) {
                double grown = pw + frameW - w.getWidth();
                w.setWidth(pw + frameW);
                w.setX(w.getX() - grown / 2); // grows about its centre: a centred dialog stays centred
            }
            double ph = Math.ceil(Math.max(root.prefHeight(pw), root.minHeight(pw)));
            if (w.getScene().getHeight() < ph) {
                double grown = ph + frameH - w.getHeight();
                w.setHeight(ph + frameH);
                w.setY(w.getY() - grown / 2);
            }
        }
    }
}
