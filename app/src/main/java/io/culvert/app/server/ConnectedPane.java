package io.culvert.app.server;

import io.culvert.app.common.Messages;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The live table of connected instances with Kick. Thin: the rows belong to the view model's {@link InstanceTable}. */
final class ConnectedPane {
    private final VBox root;
    private final TableView<InstanceRow> table = new TableView<>();

    ConnectedPane(ServerManagerViewModel vm, Messages m, InstantSource clock) {
        table.setId("connected-table");
        table.setItems(vm.instances().rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column(m.get("connected.cn"), r -> r.commonNameProperty()));
        table.getColumns().add(column(m.get("connected.real"), r -> r.realAddressProperty()));
        table.getColumns().add(column(m.get("connected.virtual"), r -> r.virtualAddressesProperty()));
        table.getColumns().add(column(m.get("connected.macs"), r -> r.macsProperty()));
        table.getColumns().add(column(m.get("connected.since"),
                r -> new ReadOnlyStringWrapper(Formats.age(r.connectedSinceProperty().get(), Instant.from(clock.instant())))));
        table.getColumns().add(column(m.get("connected.in"), r -> r.bytesInProperty().map(n -> Formats.bytes(n.longValue()))));
        table.getColumns().add(column(m.get("connected.out"), r -> r.bytesOutProperty().map(n -> Formats.bytes(n.longValue()))));
        table.getColumns().add(column(m.get("connected.rate"), r -> r.rateInProperty().map(n -> Formats.rate(n.longValue())
                + " / " + Formats.rate(r.rateOutProperty().get()))));
        Label placeholder = new Label();
        placeholder.textProperty().bind(vm.runningProperty().map(run -> m.get(run ? "connected.empty" : "connected.notRunning")));
        table.setPlaceholder(placeholder);
        VBox.setVgrow(table, Priority.ALWAYS);

        Button kick = new Button(m.get("connected.kick"));
        kick.setId("connected-kick");
        kick.getStyleClass().add("danger");
        kick.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        kick.setOnAction(e -> {
            InstanceRow row = table.getSelectionModel().getSelectedItem();
            if (row != null) {
                vm.kick(row.peerId());
            }
        });
        root = new VBox(8, new HBox(8, kick), table);
    }

    private static TableColumn<InstanceRow, String> column(String title, Function<InstanceRow, ObservableValue<String>> value) {
        TableColumn<InstanceRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setSortable(false);
        return c;
    }

    /** Redraws computed cells (connected-for) after a poll. */
    void tick() {
        table.refresh();
    }

    VBox root() {
        return root;
    }
}
