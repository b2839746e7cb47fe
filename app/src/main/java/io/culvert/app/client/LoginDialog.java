package io.culvert.app.client;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import javafx.scene.layout.Region;

/**
 * Asks for the username and password, and the one-time code or challenge response when the profile has a static
 * challenge; offers to remember the password. Shown without blocking; the answer completes a future. FX thread only.
 */
final class LoginDialog implements ClientViewModel.LoginPrompter {
    private final Messages msg;
    private final Node owner;

    LoginDialog(Messages msg, Node owner) {
        this.msg = msg;
        this.owner = owner;
    }

    @Override
    public CompletableFuture<Optional<String>> askPassphrase(String profile, String keyName) {
        Dialog<String> d = new Dialog<>();
        Window w = owner.getScene() == null ? null : owner.getScene().getWindow();
        if (w != null) {
            d.initOwner(w);
        }
        d.setTitle(msg.get("passphrase.title"));
        d.setHeaderText(msg.get("passphrase.header", profile, keyName));
        PasswordField pass = new PasswordField();
        pass.setId("passphrase-field");
        GridPane g = new GridPane();
        g.setHgap(10);
        g.getColumnConstraints().addAll(Fit.labelColumn(), Fit.fieldColumn(200));
        g.addRow(0, new Label(msg.get("passphrase.label")), pass);
        d.getDialogPane().setContent(g);
        d.getDialogPane().setId("passphrase-dialog");
        ButtonType ok = new ButtonType(msg.get("login.ok"), ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(ok, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(ok).setId("passphrase-ok");
        d.setResultConverter(b -> b == ok ? pass.getText() : null);
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        d.setOnHidden(e -> answer.complete(Optional.ofNullable(d.getResult())));
        Fit.dialog(d);
        d.show();
        Platform.runLater(pass::requestFocus);
        return answer;
    }

    @Override
    public CompletableFuture<Optional<Login.Answer>> ask(Login.Request r) {
        Dialog<Login.Answer> d = new Dialog<>();
        Window w = owner.getScene() == null ? null : owner.getScene().getWindow();
        if (w != null) {
            d.initOwner(w);
        }
        d.setTitle(msg.get("login.title"));
        d.setHeaderText(r.retry() ? msg.get("login.retry", r.profile()) : msg.get("login.header", r.profile()));
        TextField user = new TextField(r.username());
        user.setId("login-username");
        PasswordField pass = new PasswordField();
        pass.setId("login-password");
        TextField response = r.echo() ? new TextField() : new PasswordField();
        response.setId("login-response");
        CheckBox save = new CheckBox(r.keyring() ? msg.get("login.save.keyring") : msg.get("login.save.file"));
        save.setId("login-save");
        Fit.wrapped(save);
        save.setMaxWidth(360);
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(10);
        g.getColumnConstraints().addAll(Fit.labelColumn(), Fit.fieldColumn(200));
        g.addRow(0, new Label(msg.get("login.username")), user);
        g.addRow(1, new Label(msg.get("login.password")), pass);
        int row = 2;
        if (r.challenge() != null) {
            Label challenge = new Label(r.challenge());
            challenge.setId("login-challenge");
            challenge.setWrapText(true);
            challenge.setMaxWidth(280);
            challenge.setMinHeight(Region.USE_PREF_SIZE);
            g.addRow(row++, challenge, response);
        }
        g.add(save, 1, row);
        d.getDialogPane().setContent(g);
        d.getDialogPane().setId("login-dialog");
        ButtonType ok = new ButtonType(msg.get("login.ok"), ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(ok, ButtonType.CANCEL);
        Node okButton = d.getDialogPane().lookupButton(ok);
        okButton.setId("login-ok");
        okButton.disableProperty().bind(user.textProperty().isEmpty());
        d.setResultConverter(b -> b == ok ? new Login.Answer(user.getText().strip(), pass.getText(),
                r.challenge() == null ? "" : response.getText(), save.isSelected()) : null);
        CompletableFuture<Optional<Login.Answer>> answer = new CompletableFuture<>();
        d.setOnHidden(e -> answer.complete(Optional.ofNullable(d.getResult())));
        Fit.dialog(d);
        d.show();
        Platform.runLater(() -> (r.username().isEmpty() ? user : pass).requestFocus());
        return answer;
    }
}
