package io.culvert.app.client;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Formats;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.ProfileSummary;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The client face's layout: the profile list (with its actions and file drop) on the left; the selected profile
 * with the one Connect/Disconnect button, progress, errors and the status, settings and log tabs on the right.
 * Thin: it binds to {@link ClientViewModel} and forwards clicks. FX thread only.
 */
final class ClientView {
    private final ClientViewModel vm;
    private final Messages msg;
    private final BorderPane root = new BorderPane();
    private final ListView<ProfileSummary> list = new ListView<>();
    private final ProfileActions actions;

    private final javafx.beans.property.BooleanProperty closeToTray;

    /** {@code closeToTray}: the app's "keep running in the tray" setting, which the Settings tab shows too. */
    ClientView(ClientViewModel vm, Messages msg, javafx.beans.property.BooleanProperty closeToTray) {
        this.vm = vm;
        this.msg = msg;
        this.closeToTray = closeToTray;
        this.actions = new ProfileActions(vm, msg, root);
        root.setId("client-root");
        root.getStyleClass().add("client");
        root.getStylesheets().add(ClientView.class.getResource("client.css").toExternalForm());
        root.setLeft(profileColumn());
        root.setCenter(detail());
        enableDrop();
    }

    Node root() {
        return root;
    }

    private Button connect;

    /** Connect/Disconnect (Ctrl+Enter), as the button would, when the button is enabled. */
    void toggleFromKeyboard() {
        if (connect != null && !connect.isDisabled()) {
            connect.fire();
        }
    }

    /** Import… (Ctrl+O). */
    void chooseAndImport() {
        actions.chooseAndImport();
    }

    /** Imports files as the file chooser and a drop do, showing each import report. */
    void importFiles(List<Path> files) {
        actions.importFiles(files);
    }

    private Node profileColumn() {
        list.setId("profiles");
        list.setItems(vm.profiles());
        list.setCellFactory(v -> new ProfileCell());
        Label empty = new Label(msg.get("profiles.empty"));
        empty.setWrapText(true);
        empty.getStyleClass().add("text-muted");
        list.setPlaceholder(empty);
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && b != vm.selectedProperty().get()) {
                vm.selectedProperty().set(b);
                vm.rememberSelection();
            }
        });
        vm.selectedProperty().addListener((o, a, b) -> list.getSelectionModel().select(b));
        VBox.setVgrow(list, Priority.ALWAYS);
        Label title = new Label(msg.get("profiles.title"));
        title.getStyleClass().add("title-4");
        Fit.whole(title);
        VBox box = new VBox(8, title, actions.toolbar(), list);
        box.setPadding(new Insets(16, 8, 16, 16));
        box.setPrefWidth(240);
        return box;
    }

    private Node detail() {
        Label name = new Label();
        name.setId("profile-name");
        name.getStyleClass().add("title-2");
        Fit.tipped(name);
        name.textProperty().bind(Bindings.createStringBinding(() -> vm.selectedProperty().get() == null
                ? msg.get("profile.none") : vm.selectedProperty().get().name(), vm.selectedProperty()));
        Label remote = new Label();
        remote.getStyleClass().add("text-muted");
        Fit.tipped(remote);
        remote.textProperty().bind(Bindings.createStringBinding(() -> {
            ProfileSummary p = vm.selectedProperty().get();
            return p == null || p.remotes().isEmpty() ? "" : msg.get("profile.server", Formats.remote(p.remotes().getFirst()));
        }, vm.selectedProperty()));
        VBox titles = new VBox(2, name, remote);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(16, titles, spacer, connectButton());
        header.setAlignment(Pos.CENTER_LEFT);

        VBox top = new VBox(10, header, progressLine(), expiryBanner(), banner("error", true), banner("retrying", false), hints());
        TabPane tabs = new TabPane(
                tab("tab-status", msg.get("tab.status"),
                        new StatusPane(vm.connection(), vm.selectedProperty().map(ProfileSummary::name), msg).root()),
                tab("tab-settings", msg.get("tab.settings"), new SettingsPane(vm, msg, closeToTray).root()),
                tab("tab-log", msg.get("tab.log"), new LogPane(vm.connection().log(), msg).root()));
        tabs.setId("client-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        VBox box = new VBox(12, top, tabs);
        box.setPadding(new Insets(16, 16, 16, 8));
        return box;
    }

    private static Tab tab(String id, String title, Node content) {
        Tab t = new Tab(title, content);
        t.setId(id);
        return t;
    }

    private Button connectButton() {
        ConnectionModel c = vm.connection();
        Button b = new Button() {
            @Override
            protected double computePrefWidth(double height) {
                return Math.max(160, super.computePrefWidth(height));
            }
        };
        b.setId("connect");
        Fit.whole(b);
        b.getStyleClass().addAll("connect-button", "large");
        b.setDefaultButton(true);
        b.textProperty().bind(Bindings.createStringBinding(() -> switch (c.phase()) {
            case IDLE, FAILED -> msg.get("action.connect");
            case CONNECTING -> msg.get("action.cancel");
            case CONNECTED -> msg.get("action.disconnect");
            case DISCONNECTING -> msg.get("action.disconnecting");
        }, c.phaseProperty()));
        c.phaseProperty().addListener((o, a, p) -> {
            b.getStyleClass().removeAll("accent", "danger");
            b.getStyleClass().add(p == ConnectionModel.Phase.IDLE || p == ConnectionModel.Phase.FAILED ? "accent" : "danger");
        });
        b.getStyleClass().add("accent");
        b.disableProperty().bind(Bindings.createBooleanBinding(() -> c.phase() == ConnectionModel.Phase.DISCONNECTING
                || vm.selectedProperty().get() == null && c.phase() != ConnectionModel.Phase.CONNECTED,
                c.phaseProperty(), vm.selectedProperty()));
        b.setOnAction(e -> vm.toggle());
        b.setTooltip(new javafx.scene.control.Tooltip(ClientShortcuts.text(ClientShortcuts.CONNECT)));
        connect = b;
        return b;
    }

    private Node progressLine() {
        ConnectionModel c = vm.connection();
        ProgressBar bar = new ProgressBar(0);
        bar.setId("progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(Bindings.createDoubleBinding(() -> switch (c.phase()) {
            case IDLE, FAILED -> 0.0;
            case CONNECTED -> 1.0;
            default -> ConnectionModel.progress(c.stateProperty().get());
        }, c.phaseProperty(), c.stateProperty()));
        Label state = new Label();
        state.setId("state");
        state.setMinWidth(Region.USE_PREF_SIZE);
        state.textProperty().bind(Bindings.createStringBinding(() -> switch (c.phase()) {
            case IDLE -> msg.get("phase.idle");
            case FAILED -> msg.get("phase.failed");
            case DISCONNECTING -> msg.get("phase.disconnecting");
            default -> stateText(c.stateProperty().get());
        }, c.phaseProperty(), c.stateProperty()));
        HBox.setHgrow(bar, Priority.ALWAYS);
        HBox line = new HBox(12, bar, state);
        line.setAlignment(Pos.CENTER_LEFT);
        return line;
    }

    private String stateText(ConnectionState s) {
        return msg.get("state." + (s == null ? ConnectionState.DISCONNECTED : s).name());
    }

    /** The selected profile's certificate expires within {@code CertificateExpiry.WARN_WITHIN}, or has expired ({@code cert-expiry}). */
    private Node expiryBanner() {
        Label text = new Label();
        text.setId("cert-expiry-message");
        Fit.wrapped(text);
        text.textProperty().bind(Bindings.createStringBinding(() -> {
            ProfileSummary p = vm.selectedProperty().get();
            java.time.Instant at = p == null ? null : vm.expiring().get(p.name());
            return at == null ? "" : ClientNotifier.expiryText(msg, at, vm.clock().instant());
        }, vm.selectedProperty(), vm.expiring()));
        HBox box = new HBox(8, text);
        box.setId("cert-expiry");
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().addAll("banner", "banner-warning");
        box.visibleProperty().bind(text.textProperty().isNotEmpty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /** The failure banner ({@code error}) or the retry hint ({@code retrying}), each with a Details link. */
    private Node banner(String id, boolean failure) {
        ConnectionModel c = vm.connection();
        var source = failure ? c.failureProperty() : c.retryingProperty();
        Label text = new Label();
        text.setId(id + "-message");
        Fit.wrapped(text);
        text.textProperty().bind(Bindings.createStringBinding(() -> source.get() == null ? ""
                : failure ? ErrorText.message(msg, source.get().kind())
                : msg.get("retrying.message", ErrorText.message(msg, source.get().kind())), source));
        Hyperlink details = new Hyperlink(msg.get("error.details"));
        details.setId(id + "-details");
        Fit.whole(details);
        details.setOnAction(e -> ErrorText.showDetails(msg, root, source.get(), c.log(), !failure));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox box = new HBox(8, text, spacer, details);
        box.setId(id);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().addAll("banner", failure ? "banner-danger" : "banner-warning");
        box.visibleProperty().bind(source.isNotNull());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /**
     * What the engine knows while it waits or reconnects without an error: handshake packets the server has not
     * answered ({@code no-answer}), or why it reconnects ({@code reconnect-reason}, e.g. a network change).
     */
    private Node hints() {
        ConnectionModel c = vm.connection();
        Label noAnswer = new Label();
        noAnswer.setId("no-answer-message");
        Fit.wrapped(noAnswer);
        noAnswer.textProperty().bind(Bindings.createStringBinding(() -> {
            var n = c.noAnswerProperty().get();
            return n == null ? "" : msg.get("noanswer.message", Integer.toString(n.handshakePackets()));
        }, c.noAnswerProperty()));
        noAnswer.visibleProperty().bind(c.noAnswerProperty().isNotNull());
        noAnswer.managedProperty().bind(noAnswer.visibleProperty());
        Label reason = new Label();
        reason.setId("reconnect-reason");
        Fit.wrapped(reason);
        reason.textProperty().bind(Bindings.createStringBinding(() -> {
            String r = c.reconnectReasonProperty().get();
            return r == null ? "" : msg.get("reconnect.reason", r);
        }, c.reconnectReasonProperty()));
        reason.visibleProperty().bind(c.reconnectReasonProperty().isNotNull());
        reason.managedProperty().bind(reason.visibleProperty());
        VBox box = new VBox(4, noAnswer, reason);
        box.setId("connection-hints");
        box.getStyleClass().addAll("banner", "banner-warning");
        box.visibleProperty().bind(noAnswer.visibleProperty().or(reason.visibleProperty()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /**
     * Profile files dropped anywhere on the face are imported; while files are dragged over it the face shows the
     * {@value #DROP_TARGET} highlight, gone when they leave or are dropped.
     */
    private void enableDrop() {
        root.setOnDragEntered(e -> {
            if (e.getDragboard().hasFiles() && !root.getStyleClass().contains(DROP_TARGET)) {
                root.getStyleClass().add(DROP_TARGET);
            }
        });
        root.setOnDragExited(e -> root.getStyleClass().remove(DROP_TARGET));
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        root.setOnDragDropped(e -> {
            root.getStyleClass().remove(DROP_TARGET);
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                importFiles(e.getDragboard().getFiles().stream().map(File::toPath).toList());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** The style class of the face while profile files are dragged over it. */
    static final String DROP_TARGET = "drop-target";

    /** Name with the first server beneath it. */
    private final class ProfileCell extends ListCell<ProfileSummary> {
        @Override
        protected void updateItem(ProfileSummary p, boolean empty) {
            super.updateItem(p, empty);
            if (empty || p == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Label n = Fit.tipped(new Label(p.name()));
            n.getStyleClass().add("profile-cell-name");
            Label r = Fit.tipped(new Label(p.remotes().isEmpty() ? "" : Formats.remote(p.remotes().getFirst())));
            r.getStyleClass().addAll("text-muted", "text-small");
            setGraphic(new VBox(2, n, r));
            setText(null);
        }
    }

}
