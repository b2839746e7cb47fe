package io.culvert.app.server;

import io.culvert.app.common.Confirm;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ClientCertificate;
import java.io.File;
import java.time.InstantSource;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** Client certificates: issue, address and routes, export (clipboard or file), revoke. */
final class ClientsPane {
    private final VBox root = new VBox(8);
    private final TableView<ClientCertificate> table = new TableView<>();

    ClientsPane(ServerManagerViewModel vm, Messages m, InstantSource clock) {
        HBox issue = CertificateControls.issueRow("", m, vm::issue);
        CertificateControls.table(table, "clients-table", vm.clients(), m, clock);

        Button network = action("client-network", m.get("clients.network"));
        network.setOnAction(e -> withSelected(c -> vm.clientNetwork(c.commonName()).thenAccept(current ->
                new ClientNetworkDialog(table.getScene().getWindow(), m, c.commonName(), current).showAndWait()
                        .ifPresent(n -> vm.setClientNetwork(c.commonName(), n)))));
        Button copy = action("client-copy", m.get("clients.copy"));
        copy.setOnAction(e -> withSelected(c -> vm.exportProfile(c.commonName()).thenAccept(CertificateControls::copyToClipboard)));
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
        CertificateControls.enableForUsable(table, copy, save, revoke);
        network.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());

        // The actions wrap to a second row where longer words or a small window leave them too little room.
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(8, 8, network, copy, save, revoke);
        actions.setId("client-actions");
        actions.setMinWidth(0);
        root.getChildren().setAll(issue, table, actions);
    }

    private void withSelected(java.util.function.Consumer<ClientCertificate> action) {
        ClientCertificate c = table.getSelectionModel().getSelectedItem();
        if (c != null) {
            action.accept(c);
        }
    }

    private static Button action(String id, String text) {
        return CertificateControls.action(id, text);
    }

    VBox root() {
        return root;
    }
}
