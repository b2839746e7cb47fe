package io.culvert.app.client;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import javafx.scene.control.ListCell;
import javafx.scene.layout.Region;
import io.culvert.engine.api.ProfileImport;
import io.culvert.engine.api.ProfileImport.Item;
import io.culvert.engine.api.ProfileImport.Status;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;

/** Shows what an import did with each directive, and the problems that stopped it. FX thread only. */
final class ImportReportDialog {
    private final Messages msg;
    private final ProfileImport report;

    ImportReportDialog(Messages msg, ProfileImport report) {
        this.msg = msg;
        this.report = report;
    }

    void show(Window owner) {
        Dialog<ButtonType> d = new Dialog<>();
        if (owner != null) {
            d.initOwner(owner);
        }
        d.initModality(Modality.NONE);
        d.setResizable(true);
        d.setTitle(msg.get("report.title", report.source()));
        d.setHeaderText(report.stored() != null ? msg.get("report.stored", report.source(), report.stored().name())
                : msg.get("report.rejected", report.source(), report.problems().size()));
        Label counts = new Label(msg.get("report.counts", report.count(Status.SUPPORTED), report.count(Status.TRANSLATED),
                report.count(Status.IGNORED), report.count(Status.UNSUPPORTED), report.count(Status.UNKNOWN),
                report.count(Status.REFUSED)));
        counts.setId("report-counts");
        Fit.wrapped(counts);
        VBox box = new VBox(10, counts, table());
        if (!report.problems().isEmpty()) {
            ListView<String> problems = new ListView<>(FXCollections.observableArrayList(report.problems().stream()
                    .map(p -> msg.get("report.problem", p.line(), p.directive() == null ? "" : p.directive(), p.detail()))
                    .toList()));
            problems.setId("report-problems");
            // Each problem wraps to the list's width, so its reason can be read however long (issue 12).
            problems.setCellFactory(v -> new ListCell<>() {
                {
                    setWrapText(true);
                    prefWidthProperty().bind(v.widthProperty().subtract(24));
                    setMinWidth(Region.USE_PREF_SIZE);
                }

                @Override
                protected void updateItem(String item, boolean empty) {
                    super.updateItem(item, empty);
                    setText(empty ? null : item);
                }
            });
            problems.setPrefHeight(Math.min(4, report.problems().size()) * 52 + 8);
            problems.setMinHeight(Region.USE_PREF_SIZE);
            problems.getStyleClass().add("report-problems");
            box.getChildren().addAll(new Label(msg.get("report.problems")), problems);
        }
        box.setPrefSize(760, 480);
        box.setMinSize(480, 320);
        d.getDialogPane().setContent(box);
        d.getDialogPane().getButtonTypes().add(ButtonType.OK);
        d.getDialogPane().setId("import-report-dialog");
        d.getDialogPane().getStylesheets().add(ImportReportDialog.class.getResource("client.css").toExternalForm());
        Fit.dialog(d);
        d.show();
    }

    private TableView<Item> table() {
        TableView<Item> t = new TableView<>(FXCollections.observableArrayList(report.items()));
        t.setId("import-report");
        Fit.headers(t);
        TableColumn<Item, Number> line = new TableColumn<>(msg.get("report.line"));
        line.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().line()));
        line.setPrefWidth(60);
        TableColumn<Item, String> directive = new TableColumn<>(msg.get("report.directive"));
        directive.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().directive()));
        directive.setCellFactory(c -> tippedCell());
        directive.setPrefWidth(170);
        TableColumn<Item, Status> status = new TableColumn<>(msg.get("report.status"));
        status.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().status()));
        status.setCellFactory(c -> new StatusCell());
        status.setPrefWidth(120);
        TableColumn<Item, String> note = new TableColumn<>(msg.get("report.note"));
        note.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().note() == null ? "" : c.getValue().note()));
        note.setCellFactory(c -> tippedCell());
        note.setPrefWidth(390);
        t.getColumns().setAll(java.util.List.of(line, directive, status, note));
        VBox.setVgrow(t, Priority.ALWAYS);
        return t;
    }

    /** A text cell whose whole text is in its tooltip when the column is too narrow for it. */
    private static TableCell<Item, String> tippedCell() {
        TableCell<Item, String> cell = new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
            }
        };
        return Fit.tipped(cell);
    }

    /** The status in words, coloured by its style class ({@code status-supported} ...). */
    private final class StatusCell extends TableCell<Item, Status> {
        @Override
        protected void updateItem(Status s, boolean empty) {
            super.updateItem(s, empty);
            getStyleClass().removeIf(c -> c.startsWith("status-"));
            if (empty || s == null) {
                setText(null);
                return;
            }
            setText(msg.get("status." + s.name()));
            setTooltip(new javafx.scene.control.Tooltip(getText()));
            getStyleClass().add("status-" + s.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
