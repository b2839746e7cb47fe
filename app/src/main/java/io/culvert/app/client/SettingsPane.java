package io.culvert.app.client;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ProfileException;
import io.culvert.engine.api.ProfileForm;
import io.culvert.engine.api.ProfileSummary;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * A form of the profile's main settings beside its full text. Editing the form rewrites the text (only the lines of
 * the changed setting, through the engine's preserving writer); Save stores the text. Above them, the app's own
 * setting "Keep running in the tray when the window is closed", the same setting as the tray menu's checkmark.
 * FX thread only.
 */
final class SettingsPane {
    private final ClientViewModel vm;
    private final Messages msg;
    private final SplitPane root = new SplitPane();
    private final VBox outer;
    private final TextArea remotes = area("form-remotes", 3);
    private final ComboBox<String> proto = combo("form-proto", "udp", "tcp-client", "udp4", "udp6", "tcp4-client", "tcp6-client");
    private final ComboBox<String> dev = combo("form-dev", "tun", "tap");
    private final TextField ciphers = new TextField();
    private final CheckBox auth = new CheckBox();
    private final CheckBox redirect = new CheckBox();
    private final CheckBox killSwitch = new CheckBox();
    private final CheckBox allowLan = new CheckBox();
    private final TextArea routes = area("form-routes", 3);
    private final TextArea text = area("profile-text", 20);
    private final Label status = new Label();
    private final BooleanProperty dirty = new SimpleBooleanProperty();
    private String stored = "";
    private String profile;
    private boolean loading;
    private int previewSeq;

    /** {@code closeToTray}: the app's setting, bound both ways (the tray menu and this checkbox are one setting). */
    SettingsPane(ClientViewModel vm, Messages msg, BooleanProperty closeToTray) {
        this.vm = vm;
        this.msg = msg;
        CheckBox keep = new CheckBox(msg.get("tray.keep"));
        keep.setId("settings-close-to-tray");
        Fit.wrapped(keep);
        keep.selectedProperty().bindBidirectional(closeToTray);
        keep.setTooltip(new javafx.scene.control.Tooltip(msg.get("settings.app.note")));
        VBox app = new VBox(keep); // one line, so the profile's form keeps its room
        app.setPadding(new Insets(10, 4, 6, 4));
        VBox.setVgrow(root, Priority.ALWAYS);
        outer = new VBox(app, new javafx.scene.control.Separator(), root);
        ciphers.setId("form-ciphers");
        ciphers.setPromptText(msg.get("form.ciphers.prompt"));
        auth.setId("form-auth");
        auth.setText(msg.get("form.auth"));
        Fit.wrapped(auth);
        redirect.setId("form-redirect");
        redirect.setText(msg.get("form.redirect"));
        Fit.wrapped(redirect);
        killSwitch.setId("form-kill-switch");
        killSwitch.setText(msg.get("form.killSwitch"));
        Fit.wrapped(killSwitch);
        allowLan.setId("form-kill-switch-lan");
        allowLan.setText(msg.get("form.killSwitch.lan"));
        Fit.wrapped(allowLan);
        allowLan.disableProperty().bind(killSwitch.selectedProperty().not());
        ciphers.setMaxWidth(Double.MAX_VALUE);
        text.getStyleClass().add("profile-text");
        status.setId("settings-status");
        status.getStyleClass().add("text-muted");
        Fit.wrapped(status);
        root.setId("settings-pane");
        root.getItems().addAll(form(), textColumn());
        root.setDividerPositions(0.45);
        for (var p : List.of(remotes.textProperty(), proto.getEditor().textProperty(), dev.getEditor().textProperty(),
                ciphers.textProperty(), routes.textProperty())) {
            p.addListener((o, a, b) -> formChanged());
        }
        auth.selectedProperty().addListener((o, a, b) -> formChanged());
        redirect.selectedProperty().addListener((o, a, b) -> formChanged());
        killSwitch.selectedProperty().addListener((o, a, b) -> formChanged());
        allowLan.selectedProperty().addListener((o, a, b) -> formChanged());
        text.textProperty().addListener((o, a, b) -> dirty.set(!b.equals(stored)));
        vm.selectedProperty().addListener((o, a, b) -> load(b));
        load(vm.selectedProperty().get());
    }

    Node root() {
        return outer;
    }

    private Node form() {
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        // The labels keep their width; the fields take the rest, never below 150 px, so the split pane's divider
        // stops where the form would be cut (issue 12).
        g.getColumnConstraints().addAll(Fit.labelColumn(), Fit.fieldColumn(150));
        int r = 0;
        g.addRow(r++, label("form.remotes"), remotes);
        g.addRow(r++, label("form.proto"), proto);
        g.addRow(r++, label("form.dev"), dev);
        g.addRow(r++, label("form.ciphers"), ciphers);
        g.add(auth, 1, r++);
        g.add(redirect, 1, r++);
        g.add(killSwitch, 1, r++);
        allowLan.setPadding(new Insets(0, 0, 0, 24));
        g.add(allowLan, 1, r++);
        g.addRow(r++, label("form.routes"), routes);
        GridPane.setHgrow(remotes, Priority.ALWAYS);
        Label hint = new Label(msg.get("form.hint"));
        Fit.wrapped(hint);
        hint.getStyleClass().addAll("text-muted", "text-small");
        VBox box = new VBox(10, g, hint);
        box.setPadding(new Insets(12, 12, 4, 4));
        // Where the window is too small for the whole form (1024×640 with longer translations), it scrolls instead of
        // pushing the profile text out of the window (issue 12).
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(box);
        scroll.setId("settings-form");
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        scroll.setMinWidth(120);
        return scroll;
    }

    private Node textColumn() {
        Button save = new Button(msg.get("settings.save"));
        save.setId("settings-save");
        save.getStyleClass().add("accent");
        save.disableProperty().bind(dirty.not());
        save.setOnAction(e -> save());
        Button revert = new Button(msg.get("settings.revert"));
        revert.setId("settings-revert");
        revert.disableProperty().bind(dirty.not());
        revert.setOnAction(e -> load(vm.selectedProperty().get()));
        Fit.whole(save, revert);
        // The buttons and the status flow onto more lines when the column is narrow, never out of the window.
        javafx.scene.layout.FlowPane bar = new javafx.scene.layout.FlowPane(8, 6, save, revert, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(text, Priority.ALWAYS);
        text.setMinWidth(80);
        VBox box = new VBox(8, text, bar);
        box.setPadding(new Insets(12, 4, 4, 12));
        return box;
    }

    private void load(ProfileSummary p) {
        profile = p == null ? null : p.name();
        root.setDisable(p == null);
        if (p == null) {
            show("", new ProfileForm(List.of(), "", "", List.of(), false, false, List.of()));
            return;
        }
        String name = p.name();
        vm.editable(name).whenCompleteAsync((ed, err) -> {
            if (!name.equals(profile)) {
                return;
            }
            if (err != null) {
                status.setText(describe(err));
            } else {
                show(ed.text(), ed.form());
            }
        }, vm.fx());
    }

    private void show(String t, ProfileForm f) {
        loading = true;
        stored = t;
        remotes.setText(String.join("\n", f.remotes()));
        proto.setValue(f.proto());
        dev.setValue(f.dev());
        ciphers.setText(String.join(":", f.dataCiphers()));
        auth.setSelected(f.authUserPass());
        redirect.setSelected(f.redirectGateway());
        killSwitch.setSelected(f.killSwitch());
        allowLan.setSelected(f.killSwitchAllowsLan());
        routes.setText(String.join("\n", f.routes()));
        text.setText(t);
        status.setText("");
        loading = false;
        dirty.set(false);
    }

    ProfileForm currentForm() {
        return new ProfileForm(lines(remotes.getText()), value(proto), value(dev),
                Arrays.stream(ciphers.getText().split("[:\\s,]+")).filter(s -> !s.isBlank()).toList(),
                auth.isSelected(), redirect.isSelected(), lines(routes.getText()), killSwitch.isSelected(),
                allowLan.isSelected());
    }

    private void formChanged() {
        if (loading || profile == null) {
            return;
        }
        int seq = ++previewSeq;
        vm.preview(stored, currentForm()).whenCompleteAsync((t, err) -> {
            if (seq != previewSeq) {
                return;
            }
            if (err != null) {
                status.setText(describe(err));
            } else {
                text.setText(t);
                status.setText("");
            }
        }, vm.fx());
    }

    private void save() {
        String name = profile;
        String t = text.getText();
        vm.saveText(name, t).whenCompleteAsync((v, err) -> {
            if (err != null) {
                status.setText(describe(err));
            } else {
                load(vm.selectedProperty().get());
                status.setText(msg.get("settings.saved"));
            }
        }, vm.fx());
    }

    private String describe(Throwable err) {
        Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return c instanceof ProfileException pe ? ErrorText.profileMessage(msg, pe) : String.valueOf(c.getMessage());
    }

    private Label label(String key) {
        return Fit.whole(new Label(msg.get(key)));
    }

    private static List<String> lines(String s) {
        return s == null ? List.of() : s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static String value(ComboBox<String> c) {
        String v = c.isEditable() && c.getEditor() != null && c.getEditor().getText() != null ? c.getEditor().getText() : c.getValue();
        return v == null ? "" : v.strip();
    }

    private static TextArea area(String id, int rows) {
        TextArea a = new TextArea();
        a.setId(id);
        a.setPrefRowCount(rows);
        a.setPrefColumnCount(16);
        return a;
    }

    private static ComboBox<String> combo(String id, String... items) {
        ComboBox<String> c = new ComboBox<>();
        c.setId(id);
        c.getItems().setAll(items);
        c.setEditable(true);
        c.setMaxWidth(Double.MAX_VALUE);
        return c;
    }
}
