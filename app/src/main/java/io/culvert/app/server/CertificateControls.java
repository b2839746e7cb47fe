package io.culvert.app.server;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.CertificateExpiry;
import io.culvert.engine.api.ClientCertificate;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The client-certificate controls a server's clients tab and the fleet's share: the issue row, the certificate
 * table, and the action buttons that act on a certificate still in force. Each pane gives its own ids.
 */
final class CertificateControls {
    private CertificateControls() {}

    /** A name field and an "Issue" button ({@code <prefix>client-name}, {@code <prefix>client-issue}); issuing clears the name. */
    static HBox issueRow(String prefix, Messages m, Function<String, CompletableFuture<?>> issue) {
        TextField name = new TextField();
        name.setId(prefix + "client-name");
        name.setPromptText(m.get("clients.newName"));
        name.setPrefColumnCount(20);
        Button button = Fit.whole(new Button(m.get("clients.issue")));
        button.setId(prefix + "client-issue");
        button.getStyleClass().add("accent");
        button.disableProperty().bind(name.textProperty().map(String::isBlank));
        Runnable doIssue = () -> issue.apply(name.getText()).thenRun(name::clear);
        button.setOnAction(e -> doIssue.run());
        name.setOnAction(e -> doIssue.run());
        return new HBox(8, name, button);
    }

    /** Fills {@code table} with {@code clients}: name, serial, expiry and status (revoked on DATE, expiring, …). */
    static TableView<ClientCertificate> table(TableView<ClientCertificate> table, String id, ObservableList<ClientCertificate> clients,
            Messages m, InstantSource clock) {
        DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withZone(ZoneId.systemDefault());
        table.setId(id);
        table.setItems(clients);
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
        return table;
    }

    /** Export and revoke make sense only for a certificate that is still in force: {@code buttons} are disabled otherwise. */
    static void enableForUsable(TableView<ClientCertificate> table, Button... buttons) {
        var usable = table.getSelectionModel().selectedItemProperty().map(c -> !c.revoked()).orElse(false);
        for (Button b : buttons) {
            b.disableProperty().bind(usable.map(u -> !u));
        }
    }

    static void copyToClipboard(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    static Button action(String id, String text) {
        Button b = Fit.whole(new Button(text));
        b.setId(id);
        return b;
    }

    /** A text column whose cells show a tooltip when the text is cut. */
    static <T> TableColumn<T, String> column(String title, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setCellFactory(col -> Fit.tipped(new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
            }
        }));
        return c;
    }
}
