package io.culvert.app.server;

import io.culvert.app.common.Confirm;
import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.CertificateExpiry;
import io.culvert.engine.api.ClientCertificate;
import java.io.File;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** Client certificates: issue, address and routes, export (clipboard or file), revoke. */
final class ClientsPane {
    private final VBox root = new VBox(8);
    private final TableView<ClientCertificate> table = new TableView<>();

    ClientsPane(ServerManagerViewModel vm, Messages m, InstantSource clock) {
        DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withZone(ZoneId.systemDefault());
        TextField name = new TextField();
        name.setId("client-name");
        name.setPromptText(m.get("clients.newName"));
        name.setPrefColumnCount(20);
        Button issue = Fit.whole(new Button(m.get("clients.issue")));
        issue.setId("client-issue");
        issue.getStyleClass().add("accent");
        issue.disableProperty().bind(name.textProperty().map(t -> t.isBlank()));
        Runnable doIssue = () -> vm.issue(name.getText()).thenRun(name::clear);
        issue.setOnAction(e -> doIssue.run());
        name.setOnAction(e -> doIssue.run());

        table.setId("clients-table");
        table.setItems(vm.clients());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Fit.headers(table);
        table.getColumns().add(column(m.get("clients.cn"), ClientCertificate::commonName));
        table.getColumns().add(column(m.get("clients.serial"), ClientCertificate::serialHex));
        table.getColumns().add(column(m.get("clients.expires"), c -> date.format(c.notAfter())));
        table.getColumns().add(column(m.get("clients.status"), c -> {
            ClientCertificate.Status s = c.status(clock.instant(), CertificateExpiry.WARN_WITHIN);
            return m.get("clients.status." + s.name(), s == ClientCertificate.Status.REVOKED ? date.format(c.revokedAt()) : "");
        }));
        table.setPlaceholder(Fit.wrapped(new Label(m.get("clients.empty"))));
        VBox.setVgrow(table, Priority.ALWAYS);

        Button network = action("client-network", m.get("clients.network"));
        network.setOnAction(e -> withSelected(c -> vm.clientNetwork(c.commonName()).thenAccept(current ->
                new ClientNetworkDialog(table.getScene().getWindow(), m, c.commonName(), current).showAndWait()
                        .ifPresent(n -> vm.setClientNetwork(c.commonName(), n)))));
        Button copy = action("client-copy", m.get("clients.copy"));
        copy.setOnAction(e -> withSelected(c -> vm.exportProfile(c.commonName()).thenAccept(text -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(text);
            Clipboard.getSystemClipboard().setContent(content);
        })));
        Button save = action("client-save", m.get("clients.save"));
        save.setOnAction(e -> withSelected(c -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(m.get("clients.save.title"));
            chooser.setInitialFileName(c.commonName() + ".ovpn");
            File file = chooser.showSaveDialog(table.getScene().getWindow());
            if (file != null) {
                vm.saveProfile(c.commonName(), file.toPath());
            }
        }));
        Button revoke = action("client-revoke", m.get("clients.revoke"));
        revoke.getStyleClass().add("danger");
        revoke.setOnAction(e -> withSelected(c -> {
            String header = m.get("clients.revoke.title", c.commonName());
            if (Confirm.destructive(table.getScene().getWindow(), header, header, m.get("clients.revoke.text", c.commonName()),
                    m.get("clients.revoke"), "revoke")) {
                vm.revoke(c.commonName());
            }
        }));
        // Export and revoke make sense only for a certificate that is still in force.
        var usable = table.getSelectionModel().selectedItemProperty().map(c -> !c.revoked()).orElse(false);
        for (Button b : new Button[] {copy, save, revoke}) {
            b.disableProperty().bind(usable.map(u -> !u));
        }
        network.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());

        // The actions wrap to a second row where longer words or a small window leave them too little room.
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(8, 8, network, copy, save, revoke);
        actions.setId("client-actions");
        actions.setMinWidth(0);
        root.getChildren().setAll(new HBox(8, name, issue), table, actions);
    }

    private void withSelected(java.util.function.Consumer<ClientCertificate> action) {
        ClientCertificate c = table.getSelectionModel().getSelectedItem();
        if (c != null) {
            action.accept(c);
        }
    }

    private static Button action(String id, String text) {
        Button b = Fit.whole(new Button(text));
        b.setId(id);
        return b;
    }

    private static TableColumn<ClientCertificate, String> column(String title, Function<ClientCertificate, String> value) {
        TableColumn<ClientCertificate, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setCellFactory(col -> Fit.tipped(new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
            }
        }));
        return c;
    }

    VBox root() {
        return root;
    }
}
