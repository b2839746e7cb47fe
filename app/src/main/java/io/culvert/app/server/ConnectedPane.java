package io.culvert.app.server;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Formats;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ServerSpec;
import java.time.InstantSource;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
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
        Fit.headers(table);
        table.getColumns().add(column(m.get("connected.cn"), 150, r -> r.commonNameProperty()));
        table.getColumns().add(column(m.get("connected.real"), 130, r -> r.realAddressProperty()));
        table.getColumns().add(column(m.get("connected.virtual"), 95, r -> r.virtualAddressesProperty()));
        TableColumn<InstanceRow, String> macs = column(m.get("connected.macs"), 130, r -> r.macsProperty());
        macs.visibleProperty().bind(vm.selectedProperty().map(s -> s.device() == ServerSpec.Device.TAP).orElse(false));
        table.getColumns().add(macs);
        table.getColumns().add(column(m.get("connected.since"), 60,
                r -> new ReadOnlyStringWrapper(Formats.age(r.connectedSinceProperty().get(), clock.instant()))));
        table.getColumns().add(column(m.get("connected.in"), 70, r -> r.bytesInProperty().map(n -> Formats.bytes(n.longValue()))));
        table.getColumns().add(column(m.get("connected.out"), 70, r -> r.bytesOutProperty().map(n -> Formats.bytes(n.longValue()))));
        table.getColumns().add(column(m.get("connected.rateIn"), 85, r -> r.rateInProperty().map(n -> Formats.rate(n.longValue()))));
        table.getColumns().add(column(m.get("connected.rateOut"), 85, r -> r.rateOutProperty().map(n -> Formats.rate(n.longValue()))));
        Label placeholder = new Label();
        placeholder.textProperty().bind(vm.runningProperty().map(run -> m.get(run ? "connected.empty" : "connected.notRunning")));
        table.setPlaceholder(Fit.wrapped(placeholder));
        VBox.setVgrow(table, Priority.ALWAYS);

        Button kick = Fit.whole(new Button(m.get("connected.kick")));
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

    private static TableColumn<InstanceRow, String> column(String title, double width,
            Function<InstanceRow, ObservableValue<String>> value) {
        TableColumn<InstanceRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
                setTooltip(empty || text == null || text.isEmpty() ? null : new Tooltip(text));
            }
        });
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
