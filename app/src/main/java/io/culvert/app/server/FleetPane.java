package io.culvert.app.server;

import io.culvert.app.common.Confirm;
import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.FleetView;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.function.Function;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The fleet in the server manager (issue 15): its database, every server with its health, pools and clients (read
 * again every few seconds while shown), and the fleet's client certificates: issue, export with every server as a
 * remote, revoke for the whole fleet.
 */
final class FleetPane {
    /** How often the pane reads the fleet again while it shows. */
    static final javafx.util.Duration POLL = javafx.util.Duration.seconds(3);
    private final VBox root = new VBox(8);
    private final javafx.animation.Timeline poller;

    FleetPane(FleetViewModel vm, Messages m, InstantSource clock, java.util.function.Supplier<FilePicker> files) {
        root.setId("fleet-pane");
        Label title = new Label(m.get("fleet.title"));
        title.setId("fleet-title");
        title.getStyleClass().add("title-3");
        Label database = Fit.tipped(new Label());
        database.setId("fleet-database");
        database.getStyleClass().add("text-muted");
        database.textProperty().bind(vm.fleetProperty().map(f -> m.get("fleet.database", FleetViewModel.shortUrl(f.url()))));
        Label summary = Fit.wrapped(new Label());
        summary.setId("fleet-summary");
        summary.textProperty().bind(vm.viewProperty().map(v -> summary(m, v)));
        Button refresh = Fit.whole(new Button(m.get("fleet.refresh")));
        refresh.setId("fleet-refresh");
        refresh.setOnAction(e -> vm.refresh());
        HBox head = new HBox(12, title, refresh);
        head.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        TableView<FleetView.Server> servers = new TableView<>(vm.servers());
        servers.setId("fleet-servers");
        servers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Fit.headers(servers);
        servers.getColumns().add(column(m.get("fleet.servers.name"), FleetView.Server::name));
        servers.getColumns().add(column(m.get("fleet.servers.health"), s -> health(m, s, vm.viewProperty().get())));
        servers.getColumns().add(column(m.get("fleet.servers.clients"), s -> Integer.toString(s.clients())));
        servers.getColumns().add(column(m.get("fleet.servers.pools"), s -> String.join(", ", s.pools())));
        servers.getColumns().add(column(m.get("fleet.servers.remotes"), FleetPane::remotes));
        servers.setPlaceholder(Fit.wrapped(new Label(m.get("fleet.servers.empty"))));

        TabPane tabs = new TabPane(tab("tab-fleet-servers", m.get("fleet.tab.servers"), servers),
                tab("tab-fleet-clients", m.get("fleet.tab.clients"), clients(vm, m, clock, files)));
        tabs.setId("fleet-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        root.getChildren().setAll(head, database, summary, tabs);

        poller = new javafx.animation.Timeline(new KeyFrame(POLL, e -> vm.refresh()));
        poller.setCycleCount(Animation.INDEFINITE);
        Runnable follow = () -> {
            if (vm.shownProperty().get() && vm.fleetProperty().get() != null) {
                poller.play();
            } else {
                poller.stop();
            }
        };
        vm.shownProperty().addListener((o, was, now) -> follow.run());
        vm.fleetProperty().addListener((o, was, now) -> follow.run());
    }

    private static VBox clients(FleetViewModel vm, Messages m, InstantSource clock, java.util.function.Supplier<FilePicker> files) {
        Label note = Fit.wrapped(new Label(m.get("fleet.clients.note")));
        note.getStyleClass().add("text-muted");
        HBox issue = CertificateControls.issueRow("fleet-", m, vm::issue);
        TableView<ClientCertificate> table = CertificateControls.table(new TableView<>(), "fleet-clients", vm.clients(), m, clock);

        CheckBox random = Fit.wrapped(new CheckBox(m.get("fleet.remoteRandom")));
        random.setId("fleet-remote-random");
        Button copy = action("fleet-client-copy", m.get("clients.copy"));
        copy.setOnAction(e -> selected(table).ifPresent(c -> vm.exportProfile(c.commonName(), random.isSelected()).thenAccept(CertificateControls::copyToClipboard)));
        Button save = action("fleet-client-save", m.get("clients.save"));
        save.setOnAction(e -> selected(table).ifPresent(c -> {
            java.nio.file.Path file = files.get().save(table.getScene().getWindow(), m.get("clients.save.title"), c.commonName() + ".ovpn",
                    new javafx.stage.FileChooser.ExtensionFilter("OpenVPN profile", "*.ovpn"));
            if (file != null) {
                vm.saveProfile(c.commonName(), file, random.isSelected());
            }
        }));
        Button revoke = action("fleet-client-revoke", m.get("clients.revoke"));
        revoke.getStyleClass().add("danger");
        revoke.setOnAction(e -> selected(table).ifPresent(c -> {
            String header = m.get("clients.revoke.title", c.commonName());
            if (Confirm.destructive(table.getScene().getWindow(), header, header, m.get("fleet.clients.revoke.text", c.commonName()),
                    m.get("clients.revoke"), "fleet-revoke")) {
                vm.revoke(c.commonName());
            }
        }));
        CertificateControls.enableForUsable(table, copy, save, revoke);
        FlowPane actions = new FlowPane(8, 8, copy, save, revoke);
        actions.setId("fleet-client-actions");
        actions.setMinWidth(0);
        VBox box = new VBox(8, note, issue, table, actions, random);
        return box;
    }

    /** "2 servers: 1 healthy, 1 late, 0 down · 3 clients connected". */
    static String summary(Messages m, FleetView v) {
        long healthy = v.servers().stream().filter(s -> s.health() == FleetView.Health.HEALTHY).count();
        long late = v.servers().stream().filter(s -> s.health() == FleetView.Health.LATE).count();
        int clients = v.servers().stream().mapToInt(FleetView.Server::clients).sum();
        return m.get("fleet.summary", v.servers().size(), healthy, late, v.servers().size() - healthy - late, clients);
    }

    /** "healthy", "late (last heartbeat 40 s ago)", "down (last heartbeat DATE)". */
    /** The addresses clients dial, as the profile's remote lines name them: "192.0.2.1 1194 udp, vpn.example.net 443 tcp". */
    static String remotes(FleetView.Server s) {
        return String.join(", ", s.remotes().stream().map(Object::toString).toList());
    }

    static String health(Messages m, FleetView.Server s, FleetView v) {
        Instant now = v == null ? s.heartbeatAt() : v.at();
        return switch (s.health()) {
            case HEALTHY -> m.get("fleet.health.HEALTHY");
            case LATE -> m.get("fleet.health.LATE", java.time.Duration.between(s.heartbeatAt(), now).toSeconds());
            case DOWN -> m.get("fleet.health.DOWN", DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
                    .withZone(ZoneId.systemDefault()).format(s.heartbeatAt()));
        };
    }

    private static java.util.Optional<ClientCertificate> selected(TableView<ClientCertificate> table) {
        return java.util.Optional.ofNullable(table.getSelectionModel().getSelectedItem());
    }

    private static Button action(String id, String text) {
        return CertificateControls.action(id, text);
    }

    private static <T> TableColumn<T, String> column(String title, Function<T, String> value) {
        return CertificateControls.column(title, value);
    }

    private static Tab tab(String id, String text, javafx.scene.Node content) {
        Tab t = new Tab(text, content);
        t.setId(id);
        return t;
    }

    void stopPolling() {
        poller.stop();
    }

    VBox root() {
        return root;
    }
}
