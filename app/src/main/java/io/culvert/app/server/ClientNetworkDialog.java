package io.culvert.app.server;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ClientNetwork;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Edits a client's static address and routes; the result is the new {@link ClientNetwork}. */
final class ClientNetworkDialog extends Dialog<ClientNetwork> {

    ClientNetworkDialog(Window owner, Messages m, String commonName, ClientNetwork current) {
        initOwner(owner);
        setResizable(true);
        Fit.dialog(this);
        setTitle(m.get("network.title", commonName));
        // The explanation wraps inside the content: as a dialog header it is one line, as wide as its text.
        Label note = Fit.wrapped(new Label(m.get("network.header")));
        note.setId("network-note");
        TextField address = new TextField(current.staticAddress() == null ? "" : current.staticAddress());
        address.setId("network-address");
        address.setPromptText(m.get("network.staticAddress.prompt"));
        TextArea iroutes = area("network-iroutes", NetworkForm.text(current.iroutes()), m);
        TextArea pushed = area("network-pushed", NetworkForm.text(current.pushedRoutes()), m);
        Label error = new Label();
        error.setId("network-error");
        error.getStyleClass().add("danger");
        Fit.wrapped(error);
        ObjectBinding<NetworkForm> form = Bindings.createObjectBinding(
                () -> NetworkForm.parse(address.getText(), iroutes.getText(), pushed.getText()),
                address.textProperty(), iroutes.textProperty(), pushed.textProperty());
        error.textProperty().bind(Bindings.createStringBinding(() -> form.get().ok() ? ""
                : m.get(form.get().errorKey(), form.get().offending()), form));
        VBox box = new VBox(6, note, Fit.wrapped(new Label(m.get("network.staticAddress"))), address,
                Fit.wrapped(new Label(m.get("network.iroutes"))), iroutes, Fit.wrapped(new Label(m.get("network.pushedRoutes"))),
                pushed, error);
        box.setPrefWidth(420);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Node ok = getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("network-ok");
        ok.disableProperty().bind(Bindings.createBooleanBinding(() -> !form.get().ok(), form));
        setResultConverter(b -> b == ButtonType.OK ? form.get().network() : null);
    }

    private static TextArea area(String id, String text, Messages m) {
        TextArea a = new TextArea(text);
        a.setId(id);
        a.setPrefRowCount(3);
        a.setPromptText(m.get("network.cidr.prompt"));
        return a;
    }
}
