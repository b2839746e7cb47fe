package io.culvert.app.server;

import io.culvert.app.common.Confirm;
import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ServerSpec;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The server manager's small dialogs: rename, the delete confirmation (Cancel is the default button), the backup
 * passphrase (asked twice) and the restore passphrase with an optional new name. Each explains itself in a wrapped
 * note inside the content, so it fits any width.
 */
final class ServerDialogs {
    /** At least this many characters: the passphrase is all that guards the CA key in a backup. */
    static final int MIN_PASSPHRASE = 8;

    private ServerDialogs() {}

    /** What the restore dialog gives back: the passphrase and the name to restore as (blank: the backup's own). */
    record RestoreRequest(char[] passphrase, String asName) {}

    static Dialog<String> rename(Window owner, Messages m, ServerSpec server, java.util.Set<String> taken) {
        Dialog<String> d = base(owner, m.get("rename.title", server.name()));
        TextField name = new TextField(server.name());
        name.setId("rename-name");
        name.setPrefColumnCount(22);
        Label error = error("rename-error");
        error.textProperty().bind(Bindings.createStringBinding(() -> {
            String n = name.getText().strip();
            return !ServerSpec.isValidName(n) ? m.get("wizard.error.name")
                    : taken.contains(n) && !n.equals(server.name()) ? m.get("wizard.error.nameTaken") : "";
        }, name.textProperty()));
        BooleanBinding bad = Bindings.createBooleanBinding(() -> !error.getText().isEmpty()
                || name.getText().strip().equals(server.name()), error.textProperty(), name.textProperty());
        ButtonType ok = new ButtonType(m.get("server.rename").replace("\u2026", ""), ButtonBar.ButtonData.OK_DONE);
        content(d, ok, "rename-ok", bad, note("rename-note", m.get("rename.header")), Fit.whole(new Label(m.get("rename.label"))), name,
                error);
        d.setResultConverter(b -> b == ok ? name.getText().strip() : null);
        return d;
    }

    /** Asks before deleting; only the Delete button deletes, and Cancel is the default (Enter cancels). */
    static Alert confirmDelete(Window owner, Messages m, ServerSpec server) {
        return Confirm.dialog(owner, m.get("delete.title", server.name()), m.get("delete.title", server.name()),
                m.get("delete.text", server.name()), m.get("delete.confirm"), "delete");
    }

    /** The passphrase for a backup, typed twice; null when cancelled. */
    static Dialog<char[]> backupPassphrase(Window owner, Messages m, ServerSpec server) {
        Dialog<char[]> d = base(owner, m.get("backup.title", server.name()));
        PasswordField first = password("backup-passphrase");
        PasswordField again = password("backup-repeat");
        Label error = error("backup-error");
        error.textProperty().bind(Bindings.createStringBinding(() -> {
            String a = first.getText();
            return a.isEmpty() ? "" : a.length() < MIN_PASSPHRASE ? m.get("backup.error.short")
                    : !again.getText().isEmpty() && !a.equals(again.getText()) ? m.get("backup.error.mismatch") : "";
        }, first.textProperty(), again.textProperty()));
        BooleanBinding bad = Bindings.createBooleanBinding(() -> first.getText().length() < MIN_PASSPHRASE
                || !first.getText().equals(again.getText()), first.textProperty(), again.textProperty());
        ButtonType ok = new ButtonType(m.get("backup.save"), ButtonBar.ButtonData.OK_DONE);
        content(d, ok, "backup-ok", bad, note("backup-note", m.get("backup.header")), Fit.whole(new Label(m.get("backup.passphrase"))),
                first, Fit.whole(new Label(m.get("backup.repeat"))), again, error);
        d.setResultConverter(b -> b == ok ? first.getText().toCharArray() : null);
        return d;
    }

    /** The passphrase of {@code file} and the name to restore it as; null when cancelled. */
    static Dialog<RestoreRequest> restore(Window owner, Messages m, Path file, java.util.Set<String> taken) {
        Dialog<RestoreRequest> d = base(owner, m.get("restore.title"));
        Label fileLabel = Fit.whole(new Label(m.get("restore.file")));
        Label fileName = Fit.tipped(new Label(file.getFileName().toString()));
        fileName.setId("restore-file");
        PasswordField pass = password("restore-passphrase");
        TextField name = new TextField();
        name.setId("restore-name");
        name.setPromptText(m.get("restore.name.prompt"));
        name.setPrefColumnCount(22);
        Label error = error("restore-error");
        error.textProperty().bind(Bindings.createStringBinding(() -> {
            String n = name.getText().strip();
            return n.isEmpty() ? "" : !ServerSpec.isValidName(n) ? m.get("wizard.error.name")
                    : taken.contains(n) ? m.get("wizard.error.nameTaken") : "";
        }, name.textProperty()));
        BooleanBinding bad = Bindings.createBooleanBinding(() -> pass.getText().isEmpty() || !error.getText().isEmpty(),
                pass.textProperty(), error.textProperty());
        ButtonType ok = new ButtonType(m.get("restore.restore"), ButtonBar.ButtonData.OK_DONE);
        content(d, ok, "restore-ok", bad, note("restore-note", m.get("restore.header")), fileLabel, fileName,
                Fit.whole(new Label(m.get("restore.passphrase"))), pass, Fit.whole(new Label(m.get("restore.name"))), name, error);
        d.setResultConverter(b -> b == ok ? new RestoreRequest(pass.getText().toCharArray(), name.getText().strip()) : null);
        return d;
    }

    /** What the fleet dialog gives back; an empty password means the one kept for the remembered fleet. */
    record FleetLogin(String url, String user, String password) {
        @Override
        public String toString() {
            return "FleetLogin[" + url + ", " + user + ", password hidden]";
        }
    }

    /** The fleet database's URL, user and password, the URL and user of the last fleet filled in; null when cancelled. */
    static Dialog<FleetLogin> openFleet(Window owner, Messages m, io.culvert.engine.api.Fleets.Remembered last) {
        Dialog<FleetLogin> d = base(owner, m.get("fleet.open.title"));
        TextField url = new TextField(last == null ? "" : last.url());
        url.setId("fleet-url");
        url.setPromptText("jdbc:postgresql://db1.example.net,db2.example.net/culvert?targetServerType=primary");
        url.setPrefColumnCount(30);
        TextField user = new TextField(last == null ? "culvert" : last.user());
        user.setId("fleet-user");
        user.setPrefColumnCount(22);
        PasswordField pass = password("fleet-password");
        if (last != null) {
            pass.setPromptText(m.get("fleet.open.password.kept"));
        }
        BooleanBinding bad = Bindings.createBooleanBinding(() -> !url.getText().strip().startsWith("jdbc:postgresql:")
                || user.getText().isBlank() || pass.getText().isEmpty() && (last == null || !last.url().equals(url.getText().strip())
                        || !last.user().equals(user.getText().strip())), url.textProperty(), user.textProperty(), pass.textProperty());
        ButtonType ok = new ButtonType(m.get("fleet.open.open"), ButtonBar.ButtonData.OK_DONE);
        content(d, ok, "fleet-ok", bad, note("fleet-note", m.get("fleet.open.header")), Fit.whole(new Label(m.get("fleet.open.url"))), url,
                Fit.whole(new Label(m.get("fleet.open.user"))), user, Fit.whole(new Label(m.get("fleet.open.password"))), pass);
        d.setResultConverter(b -> b == ok ? new FleetLogin(url.getText().strip(), user.getText().strip(), pass.getText()) : null);
        return d;
    }

    private static <T> Dialog<T> base(Window owner, String title) {
        Dialog<T> d = new Dialog<>();
        d.initOwner(owner);
        d.setResizable(true);
        d.setTitle(title);
        Fit.dialog(d);
        return d;
    }

    private static void content(Dialog<?> d, ButtonType ok, String okId, BooleanBinding bad, javafx.scene.Node... nodes) {
        VBox box = new VBox(6, nodes);
        box.setPrefWidth(420);
        d.getDialogPane().setContent(box);
        d.getDialogPane().getButtonTypes().setAll(ok, ButtonType.CANCEL);
        javafx.scene.Node okButton = d.getDialogPane().lookupButton(ok);
        okButton.setId(okId);
        okButton.disableProperty().bind(bad);
    }

    private static Label note(String id, String text) {
        Label l = Fit.wrapped(new Label(text));
        l.setId(id);
        return l;
    }

    private static Label error(String id) {
        Label l = Fit.wrapped(new Label());
        l.setId(id);
        l.getStyleClass().add("danger");
        return l;
    }

    private static PasswordField password(String id) {
        PasswordField p = new PasswordField();
        p.setId(id);
        p.setPrefColumnCount(22);
        return p;
    }
}
