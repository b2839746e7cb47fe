package io.culvert.app.topology;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Formats;
import io.culvert.app.common.Messages;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.IntConsumer;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The details of the instance clicked in the graph, with Kick. FX thread only. */
final class InstancePanel extends VBox {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final Messages messages;
    private final Label title = new Label();
    private final GridPane grid = new GridPane();
    private final Button kick;
    private final Button close;
    private int peerId = -1;

    InstancePanel(Messages messages, IntConsumer onKick, Runnable onClose) {
        this.messages = messages;
        setId("topology-instance");
        getStyleClass().add("topology-instance");
        setSpacing(8);
        setPadding(new Insets(12));
        title.setId("topology-instance-name");
        title.getStyleClass().add("title-4");
        kick = new Button(messages.get("instance.kick"));
        kick.setId("topology-kick");
        kick.getStyleClass().add("danger");
        kick.setOnAction(e -> onKick.accept(peerId));
        close = new Button(messages.get("instance.close"));
        close.getStyleClass().add("flat");
        close.setOnAction(e -> onClose.run());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Fit.tipped(title);
        Fit.whole(close, kick);
        HBox head = new HBox(8, title, spacer, close);
        grid.setHgap(10);
        grid.setVgap(4);
        grid.getColumnConstraints().addAll(Fit.labelColumn(), Fit.fieldColumn(60));
        getChildren().setAll(head, grid, kick);
        setVisible(false);
        setManaged(false);
    }

    /** Shows {@code n}, or hides when null. */
    void show(NodeState n) {
        boolean visible = n != null;
        setVisible(visible);
        setManaged(visible);
        if (n == null) {
            peerId = -1;
            return;
        }
        peerId = n.peerId();
        title.setText(n.info().commonName());
        grid.getChildren().clear();
        int row = 0;
        row = row(row, "instance.virtual", String.join(", ", n.info().virtualAddresses()));
        row = row(row, "instance.real", n.info().realAddress());
        if (!n.info().macs().isEmpty()) {
            row = row(row, "instance.macs", String.join(", ", n.info().macs()));
        }
        row = row(row, "instance.peer", Integer.toString(n.peerId()));
        row = row(row, "instance.cipher", n.info().cipher() == null ? "—" : n.info().cipher());
        row = row(row, "instance.since", TIME.format(n.info().connectedSince()));
        row = row(row, "instance.rate", messages.get("instance.rate.value", Formats.rate(n.bytesInPerSecond()), Formats.rate(n.bytesOutPerSecond())));
        row = row(row, "instance.totals", messages.get("instance.rate.value", Formats.bytes(n.info().bytesIn()), Formats.bytes(n.info().bytesOut())));
        if (n.broadcastPacketsPerSecond() > 0) {
            row(row, "instance.broadcast", messages.get("instance.broadcast.value", Formats.packets(n.broadcastPacketsPerSecond())));
        }
    }

    int peerId() {
        return peerId;
    }

    private int row(int row, String key, String value) {
        Label k = Fit.whole(new Label(messages.get(key)));
        k.getStyleClass().add("text-muted");
        Label v = Fit.tipped(new Label(value));
        v.setWrapText(true);
        v.setMinHeight(Region.USE_PREF_SIZE);
        v.setId("topology-instance-" + key.substring(key.indexOf('.') + 1));
        grid.addRow(row, k, v);
        return row + 1;
    }
}
