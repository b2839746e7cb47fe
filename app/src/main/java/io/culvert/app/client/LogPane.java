package io.culvert.app.client;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import javafx.scene.layout.Region;
import io.culvert.engine.api.EngineEvent;
import java.time.ZoneId;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/** The connection log with a search field, a minimum-level filter and copy to clipboard. FX thread only. */
final class LogPane {
    private final VBox root = new VBox(8);

    LogPane(LogModel log, Messages msg) {
        TextField search = new TextField();
        search.setId("log-search");
        search.setPromptText(msg.get("log.search"));
        log.searchProperty().bind(search.textProperty());
        HBox.setHgrow(search, Priority.ALWAYS);

        ComboBox<EngineEvent.Level> level = new ComboBox<>();
        level.setId("log-level");
        level.getItems().setAll(EngineEvent.Level.values());
        level.setConverter(new StringConverter<>() {
            @Override
            public String toString(EngineEvent.Level l) {
                return l == null ? "" : msg.get("log.level." + l.name());
            }

            @Override
            public EngineEvent.Level fromString(String s) {
                return null;
            }
        });
        level.setValue(EngineEvent.Level.DEBUG);
        log.minLevelProperty().bind(level.valueProperty());

        ListView<LogModel.Entry> lines = new ListView<>(log.visible());
        lines.setId("log-list");
        lines.setPlaceholder(Fit.wrapped(new Label(msg.get("log.empty"))));
        lines.getStyleClass().add("log-list");
        lines.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LogModel.Entry e, boolean empty) {
                super.updateItem(e, empty);
                getStyleClass().removeIf(c -> c.startsWith("log-"));
                setText(empty || e == null ? null : e.format(ZoneId.systemDefault()));
                if (!empty && e != null) {
                    getStyleClass().add("log-" + e.level().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        });
        log.visible().addListener((ListChangeListener<LogModel.Entry>) ch -> {
            if (!log.visible().isEmpty()) {
                lines.scrollTo(log.visible().size() - 1);
            }
        });
        VBox.setVgrow(lines, Priority.ALWAYS);

        Button copy = new Button(msg.get("log.copy"));
        copy.setId("log-copy");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(log.visibleText(ZoneId.systemDefault()));
            Clipboard.getSystemClipboard().setContent(content);
        });
        level.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, search, Fit.whole(new Label(msg.get("log.level"))), level, Fit.whole(copy));
        bar.setAlignment(Pos.CENTER_LEFT);
        root.getChildren().addAll(bar, lines);
        root.setPadding(new Insets(12, 4, 4, 4));
    }

    Node root() {
        return root;
    }
}
