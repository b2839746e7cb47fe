package io.culvert.app.server;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ServerSpec;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * The server manager's layout: servers on the left; the selected server's header with Start/Stop and its
 * Connected, Clients and Log tabs on the right; a status line. A timeline asks the view model to poll the
 * running server once a second.
 */
final class ServerManagerView {
    /** The file name ending of server backups. */
    static final String BACKUP_SUFFIX = ".culvert-backup";
    private final BorderPane root = new BorderPane();
    private final Timeline poller;
    private FilePicker files = FilePicker.SYSTEM;

    private FleetPane fleetPane;

    ServerManagerView(ServerManagerViewModel vm, Messages m, InstantSource clock, String defaultPublicHost) {
        this(vm, null, m, clock, defaultPublicHost);
    }

    /** With {@code fleet} (null: no fleets), the fleet's button in the list column and its pane in place of a server. */
    ServerManagerView(ServerManagerViewModel vm, FleetViewModel fleet, Messages m, InstantSource clock, String defaultPublicHost) {
        ListView<ServerSpec> list = new ListView<>(vm.servers());
        list.setId("server-list");
        list.setPrefWidth(140);
        list.setMinWidth(120);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(ServerSpec s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.name());
            }
        });
        list.setPlaceholder(wrapped(m.get("servers.empty")));
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && now != vm.selectedProperty().get()) {
                vm.select(now);
            }
        });
        if (fleet != null) {
            // the admin picked a server: it takes the fleet's place
            list.setOnMouseClicked(e -> fleet.shownProperty().set(false));
            list.setOnKeyPressed(e -> fleet.shownProperty().set(false));
        }
        vm.selectedProperty().addListener((o, was, now) -> {
            if (list.getSelectionModel().getSelectedItem() != now) {
                list.getSelectionModel().select(now);
            }
        });
        Button create = new Button(m.get("servers.new"));
        create.setId("server-new");
        create.setMaxWidth(Double.MAX_VALUE);
        create.setOnAction(e -> {
            ServerWizardViewModel wizard = new ServerWizardViewModel(
                    vm.servers().stream().map(ServerSpec::name).collect(Collectors.toSet()), defaultPublicHost);
            new ServerWizard(root.getScene().getWindow(), m, wizard).showAndWait().ifPresent(vm::create);
        });
        create.setMinWidth(Region.USE_PREF_SIZE);
        Button restore = new Button(m.get("servers.restore"));
        restore.setId("server-restore");
        restore.setMaxWidth(Double.MAX_VALUE);
        restore.setOnAction(e -> {
            Window w = root.getScene().getWindow();
            Path file = files.open(w, m.get("restore.file.title"), backupFilter(m));
            if (file != null) {
                ServerDialogs.restore(w, m, file, names(vm)).showAndWait()
                        .ifPresent(r -> vm.restore(file, r.passphrase(), r.asName()));
            }
        });
        Label title = new Label(m.get("servers.title"));
        title.getStyleClass().add("title-4");
        Fit.whole(title);
        Fit.whole(create, restore);
        VBox left = new VBox(8, title, list, create, restore);
        if (fleet != null) {
            Button openFleet = Fit.whole(new Button(m.get("fleet.open")));
            openFleet.setId("fleet-open");
            openFleet.setMaxWidth(Double.MAX_VALUE);
            openFleet.setOnAction(e -> ServerDialogs.openFleet(window(), m, fleet.remembered().orElse(null)).showAndWait()
                    .ifPresent(l -> {
                        if (l.password().isEmpty()) {
                            fleet.reopen();
                        } else {
                            fleet.open(l.url(), l.user(), l.password());
                        }
                    }));
            Button showFleet = Fit.tipped(new Button());
            showFleet.setId("fleet-show");
            showFleet.setMaxWidth(Double.MAX_VALUE);
            showFleet.textProperty().bind(fleet.fleetProperty().map(f -> m.get("fleet.show", FleetViewModel.shortUrl(f.url())
                    .replaceFirst("^postgresql://", ""))));
            showFleet.visibleProperty().bind(fleet.fleetProperty().isNotNull());
            showFleet.managedProperty().bind(showFleet.visibleProperty());
            showFleet.setOnAction(e -> {
                fleet.shownProperty().set(true);
                fleet.refresh();
            });
            left.getChildren().addAll(new javafx.scene.control.Separator(), openFleet, showFleet);
        }
        VBox.setVgrow(list, Priority.ALWAYS);
        left.setPadding(new Insets(0, 12, 0, 0));

        Label name = new Label();
        name.setId("server-name");
        name.getStyleClass().add("title-3");
        name.textProperty().bind(vm.selectedProperty().map(ServerSpec::name));
        Label summary = new Label();
        summary.setId("server-summary");
        summary.getStyleClass().add("text-muted");
        summary.textProperty().bind(vm.selectedProperty().map(s -> summary(m, s)));
        Tooltip ciphers = new Tooltip();
        ciphers.textProperty().bind(vm.selectedProperty().map(s -> m.get("server.ciphers", String.join(":", s.dataCiphers()))));
        summary.setTooltip(ciphers);
        Fit.wrapped(summary);
        Button start = new Button(m.get("server.start"));
        start.setId("server-start");
        start.getStyleClass().add("success");
        start.disableProperty().bind(vm.runningProperty().or(vm.busyProperty()));
        start.setOnAction(e -> vm.start());
        Button stop = new Button(m.get("server.stop"));
        stop.setId("server-stop");
        stop.disableProperty().bind(vm.runningProperty().not().or(vm.busyProperty()));
        stop.setOnAction(e -> vm.stop());
        Label state = new Label();
        state.setId("server-state");
        state.textProperty().bind(vm.listenAddressProperty().map(a -> a.isEmpty() ? m.get("server.state.stopped")
                : m.get("server.state.running", a)));
        Fit.whole(start, stop);
        Fit.tipped(state);
        HBox controls = new HBox(8, start, stop, state);
        controls.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        Button edit = action("server-edit", m.get("server.edit"), vm);
        edit.setOnAction(e -> withServer(vm, s -> new ServerWizard(window(), m, ServerWizardViewModel.editing(s, issued(vm))).showAndWait()
                .ifPresent(vm::edit)));
        Button rename = action("server-rename", m.get("server.rename"), vm);
        rename.setOnAction(e -> withServer(vm, s -> ServerDialogs.rename(window(), m, s, names(vm)).showAndWait()
                .ifPresent(vm::rename)));
        Button backup = action("server-backup", m.get("server.backup"), vm);
        backup.setOnAction(e -> withServer(vm, s -> ServerDialogs.backupPassphrase(window(), m, s).showAndWait().ifPresent(pass -> {
            Path file = files.save(window(), m.get("backup.file.title"), s.name() + BACKUP_SUFFIX, backupFilter(m));
            if (file != null) {
                vm.backup(pass, file);
            } else {
                java.util.Arrays.fill(pass, '\0');
            }
        })));
        Button delete = action("server-delete", m.get("server.delete"), vm);
        delete.getStyleClass().add("danger");
        delete.setOnAction(e -> withServer(vm, s -> {
            javafx.scene.control.Alert confirm = ServerDialogs.confirmDelete(window(), m, s);
            confirm.showAndWait().filter(b -> b.getButtonData() == javafx.scene.control.ButtonBar.ButtonData.OK_DONE)
                    .ifPresent(b -> vm.delete());
        }));
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(8, 8, edit, rename, backup, delete);
        actions.setId("server-actions");

        ConnectedPane connected = new ConnectedPane(vm, m, clock);
        ClientsPane clients = new ClientsPane(vm, m, clock);
        ListView<String> log = new ListView<>(vm.log());
        log.setId("server-log");
        log.setPlaceholder(Fit.wrapped(new Label(m.get("log.empty"))));
        log.getStyleClass().add("monospace");
        Button copyLog = Fit.whole(new Button(m.get("log.copy")));
        copyLog.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(String.join("\n", vm.log()));
            Clipboard.getSystemClipboard().setContent(content);
        });
        VBox logBox = new VBox(8, log, copyLog);
        VBox.setVgrow(log, Priority.ALWAYS);
        TabPane tabs = new TabPane(tab("tab-connected", m.get("tab.connected"), connected.root()),
                tab("tab-clients", m.get("tab.clients"), clients.root()), tab("tab-log", m.get("tab.log"), logBox));
        tabs.setId("server-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Label expiring = new Label();
        expiring.setId("clients-expiring");
        Fit.wrapped(expiring);
        expiring.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            ServerSpec s = vm.selectedProperty().get();
            java.time.Instant now = clock.instant();
            String soon = s == null ? "" : vm.expiring().stream().filter(e -> e.server().equals(s.name()))
                    .map(e -> ServerManagerFeature.expiryText(m, e, now)).collect(java.util.stream.Collectors.joining("; "));
            return soon.isEmpty() ? "" : m.get("clients.expiring", soon);
        }, vm.selectedProperty(), vm.expiring()));
        javafx.scene.layout.HBox expiringBox = new javafx.scene.layout.HBox(expiring);
        expiringBox.getStyleClass().addAll("banner", "banner-warning");
        expiringBox.visibleProperty().bind(expiring.textProperty().isNotEmpty());
        expiringBox.managedProperty().bind(expiringBox.visibleProperty());
        Label forwarding = new Label();
        forwarding.setId("server-forwarding");
        Fit.wrapped(forwarding);
        forwarding.textProperty().bind(vm.selectedProperty().map(s -> forwarding(m, s)));
        forwarding.visibleProperty().bind(forwarding.textProperty().isNotEmpty());
        forwarding.managedProperty().bind(forwarding.visibleProperty());
        Label natRules = new Label();
        natRules.setId("server-nat-rules");
        natRules.getStyleClass().addAll("monospace", "text-muted");
        Fit.wrapped(natRules);
        natRules.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.natRules().isEmpty() ? ""
                : m.get("server.natRules") + "\n" + String.join("\n", vm.natRules()), vm.natRules()));
        natRules.visibleProperty().bind(natRules.textProperty().isNotEmpty());
        natRules.managedProperty().bind(natRules.visibleProperty());
        VBox detail = new VBox(8, name, summary, forwarding, controls, natRules, expiringBox, actions, tabs);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        Label none = wrapped(m.get("servers.none"));
        StackPane center = new StackPane(none, detail);
        javafx.beans.value.ObservableBooleanValue fleetShown = fleet == null ? new javafx.beans.property.SimpleBooleanProperty()
                : fleet.shownProperty();
        detail.visibleProperty().bind(vm.selectedProperty().isNotNull().and(javafx.beans.binding.Bindings.not(fleetShown)));
        none.visibleProperty().bind(vm.selectedProperty().isNull().and(javafx.beans.binding.Bindings.not(fleetShown)));
        if (fleet != null) {
            fleetPane = new FleetPane(fleet, m, clock, () -> files);
            fleetPane.root().visibleProperty().bind(fleet.shownProperty());
            center.getChildren().add(fleetPane.root());
        }

        Label status = new Label();
        status.setId("server-status");
        if (fleet == null) {
            status.textProperty().bind(vm.statusProperty());
        } else {
            // the last thing that happened, in the server manager or the fleet
            vm.statusProperty().addListener((o, was, now) -> status.setText(now));
            fleet.statusProperty().addListener((o, was, now) -> status.setText(now));
        }
        status.setPadding(new Insets(8, 0, 0, 0));
        Fit.wrapped(status);

        root.setLeft(left);
        root.setCenter(center);
        root.setBottom(status);
        root.setPadding(new Insets(16));

        poller = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
            vm.poll();
            connected.tick();
        }));
        poller.setCycleCount(Animation.INDEFINITE);
        vm.runningProperty().addListener((o, was, now) -> {
            if (now) {
                poller.play();
            } else {
                poller.stop();
            }
        });
    }

    private Window window() {
        return root.getScene().getWindow();
    }

    /** Where Back up… and Restore… ask for files; tests answer with a path. */
    void filePicker(FilePicker picker) {
        files = picker;
    }

    private static void withServer(ServerManagerViewModel vm, java.util.function.Consumer<ServerSpec> action) {
        ServerSpec s = vm.selectedProperty().get();
        if (s != null) {
            action.accept(s);
        }
    }

    private static java.util.Set<String> names(ServerManagerViewModel vm) {
        return vm.servers().stream().map(ServerSpec::name).collect(Collectors.toSet());
    }

    /** The common names the selected server issued and has not revoked: what the pair-policy editor offers. */
    private static java.util.List<String> issued(ServerManagerViewModel vm) {
        return vm.clients().stream().filter(c -> c.revokedAt() == null).map(io.culvert.engine.api.ClientCertificate::commonName)
                .distinct().sorted().toList();
    }

    private static Button action(String id, String text, ServerManagerViewModel vm) {
        Button b = Fit.whole(new Button(text));
        b.setId(id);
        b.disableProperty().bind(vm.selectedProperty().isNull().or(vm.busyProperty()));
        return b;
    }

    private static FileChooser.ExtensionFilter backupFilter(Messages m) {
        return new FileChooser.ExtensionFilter(m.get("backup.file.type"), "*" + BACKUP_SUFFIX);
    }

    static String summary(Messages m, ServerSpec s) {
        String text = m.get("server.summary", s.proto().name(), s.device().name().toLowerCase(Locale.ROOT), s.port(),
                s.device() == ServerSpec.Device.TAP ? "tap" : m.get("server.topology." + s.topology().name()),
                s.network(), ServerSpec.prefixLength(s.netmask()));
        if (s.clientToClient()) {
            text += " \u00b7 " + m.get("server.clientToClient");
        }
        text += " \u00b7 " + m.get("server.keepalive", s.keepalivePing(), s.keepaliveTimeout());
        return s.dnsServers().isEmpty() ? text : text + " \u00b7 " + m.get("server.dns", String.join(", ", s.dnsServers()));
    }

    /** What the server forwards for its clients, or empty when nothing: gateway mode and the networks they reach. */
    static String forwarding(Messages m, ServerSpec s) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        ServerSpec.Gateway g = s.gateway();
        if (g != null) {
            parts.add(m.get("server.gateway", g.outbound() == null ? m.get("server.gateway.auto") : g.outbound(),
                    m.get("wizard.gateway.family." + g.family().name()),
                    g.resolvers().isEmpty() ? m.get("server.gateway.ownResolvers") : String.join(", ", g.resolvers())));
        }
        if (!s.reach().isEmpty()) {
            parts.add(m.get("server.reach", s.reach().stream().map(r -> r.network() + (r.nat() ? "" : " "
                    + m.get("server.reach.routed"))).collect(Collectors.joining(", "))));
        }
        return String.join(" \u00b7 ", parts);
    }

    private static Tab tab(String id, String text, javafx.scene.Node content) {
        Tab t = new Tab(text, content);
        t.setId(id);
        return t;
    }

    private static Label wrapped(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }

    void stopPolling() {
        poller.stop();
        if (fleetPane != null) {
            fleetPane.stopPolling();
        }
    }

    Parent root() {
        return root;
    }
}
