package io.culvert.app.common;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * The one confirmation for an action that cannot be undone (delete a server or a profile, revoke a certificate;
 * issue 12): Cancel is the default and focused button, so Enter or Escape keeps everything, and only the action's own
 * button, named for the action and styled as dangerous, goes ahead. FX thread only.
 */
public final class Confirm {
    private Confirm() {}

    /**
     * Asks and waits; true only when the user chose the action. The buttons get the ids {@code idPrefix-confirm} and
     * {@code idPrefix-cancel}.
     */
    public static boolean destructive(Window owner, String title, String header, String text, String action, String idPrefix) {
        return dialog(owner, title, header, text, action, idPrefix).showAndWait()
                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE).isPresent();
    }

    /** The dialog {@link #destructive} shows, not yet shown. */
    public static Alert dialog(Window owner, String title, String header, String text, String action, String idPrefix) {
        ButtonType go = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, go, ButtonType.CANCEL);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(header);
        Fit.dialog(a);
        Button confirm = (Button) a.getDialogPane().lookupButton(go);
        confirm.setId(idPrefix + "-confirm");
        confirm.setDefaultButton(false);
        confirm.getStyleClass().add("danger");
        Button cancel = (Button) a.getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setId(idPrefix + "-cancel");
        cancel.setDefaultButton(true);
        cancel.setCancelButton(true);
        a.setOnShown(e -> cancel.requestFocus());
        return a;
    }
}
