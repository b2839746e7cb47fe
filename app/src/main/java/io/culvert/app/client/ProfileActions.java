package io.culvert.app.client;

import io.culvert.app.common.Confirm;
import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ProfileException;
import io.culvert.engine.api.ProfileSummary;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The profile list's actions: import (file chooser), rename, export and delete, with their dialogs. FX thread only. */
final class ProfileActions {
    private final ClientViewModel vm;
    private final Messages msg;
    private final Node owner;

    ProfileActions(ClientViewModel vm, Messages msg, Node owner) {
        this.vm = vm;
        this.msg = msg;
        this.owner = owner;
    }

    /** Import (full width), then Rename, Export and Delete side by side. */
    Node toolbar() {
        BooleanBinding none = vm.selectedProperty().isNull();
        BooleanBinding busy = vm.connection().phaseProperty().isNotEqualTo(ConnectionModel.Phase.IDLE)
                .and(vm.connection().phaseProperty().isNotEqualTo(ConnectionModel.Phase.FAILED));
        Button imp = button("import", msg.get("action.import"));
        imp.setOnAction(e -> chooseAndImport());
        imp.setTooltip(new javafx.scene.control.Tooltip(ClientShortcuts.text(ClientShortcuts.IMPORT)));
        imp.getStyleClass().add("accent");
        imp.setMaxWidth(Double.MAX_VALUE);
        Button rename = button("rename", msg.get("action.rename"));
        rename.disableProperty().bind(none.or(busy));
        rename.setOnAction(e -> rename());
        Button export = button("export", msg.get("action.export"));
        export.disableProperty().bind(none);
        export.setOnAction(e -> export());
        Button delete = button("delete", msg.get("action.delete"));
        delete.disableProperty().bind(none.or(busy));
        delete.setOnAction(e -> delete());
        HBox row = new HBox(6, rename, export, delete);
        for (Button b : List.of(rename, export, delete)) {
            b.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(b, Priority.ALWAYS);
        }
        return new VBox(6, imp, row);
    }

    private static Button button(String id, String text) {
        Button b = new Button(text);
        b.setId(id);
        b.getStyleClass().add("small");
        b.setMinWidth(Button.USE_PREF_SIZE);
        return b;
    }

    private Window window() {
        return owner.getScene() == null ? null : owner.getScene().getWindow();
    }

    /** Asks for files to import (Import…, Ctrl+O). */
    void chooseAndImport() {
        FileChooser fc = new FileChooser();
        fc.setTitle(msg.get("import.choose"));
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter(msg.get("import.filter"), "*.ovpn", "*.conf"),
                new FileChooser.ExtensionFilter(msg.get("import.all"), "*"));
        List<File> files = fc.showOpenMultipleDialog(window());
        if (files != null && !files.isEmpty()) {
            importFiles(files.stream().map(File::toPath).toList());
        }
    }

    void importFiles(List<Path> files) {
        vm.importFiles(files).whenCompleteAsync((reports, err) -> {
            if (err != null) {
                fail(msg.get("import.failed"), err);
            } else {
                reports.forEach(r -> new ImportReportDialog(msg, r).show(window()));
            }
        }, vm.fx());
    }

    private void rename() {
        ProfileSummary p = vm.selectedProperty().get();
        TextInputDialog d = new TextInputDialog(p.name());
        d.initOwner(window());
        d.setTitle(msg.get("rename.title"));
        d.setHeaderText(msg.get("rename.header", p.name()));
        d.getEditor().setId("rename-field");
        Fit.dialog(d);
        d.showAndWait().map(String::strip).filter(n -> !n.isEmpty() && !n.equals(p.name()))
                .ifPresent(n -> report(vm.rename(p.name(), n), msg.get("rename.failed")));
    }

    private void export() {
        ProfileSummary p = vm.selectedProperty().get();
        FileChooser fc = new FileChooser();
        fc.setTitle(msg.get("export.title"));
        fc.setInitialFileName(p.name() + ".ovpn");
        File f = fc.showSaveDialog(window());
        if (f != null) {
            report(vm.export(p.name(), f.toPath()), msg.get("export.failed"));
        }
    }

    private void delete() {
        ProfileSummary p = vm.selectedProperty().get();
        if (Confirm.destructive(window(), msg.get("delete.title"), msg.get("delete.header", p.name()), msg.get("delete.body"),
                msg.get("action.delete"), "delete")) {
            report(vm.delete(p.name()), msg.get("delete.failed"));
        }
    }

    private void report(CompletableFuture<?> f, String what) {
        f.whenCompleteAsync((v, err) -> {
            if (err != null) {
                fail(what, err);
            }
        }, vm.fx());
    }

    private void fail(String what, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        String text = cause instanceof ProfileException pe ? ErrorText.profileMessage(msg, pe) : String.valueOf(cause.getMessage());
        Alert a = new Alert(Alert.AlertType.ERROR, text, ButtonType.OK);
        a.initOwner(window());
        a.setHeaderText(what);
        Fit.dialog(a);
        a.show();
    }
}
