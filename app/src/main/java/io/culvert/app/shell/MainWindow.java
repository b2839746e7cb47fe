package io.culvert.app.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import io.culvert.app.common.Messages;
import io.culvert.app.common.ThemePreference;
import io.culvert.app.common.ThemePreference.Choice;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The main window's layout: a navigation column on the left, the selected feature on the right. */
public final class MainWindow {
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final ToggleGroup nav = new ToggleGroup();
    private final Map<KeyCombination, Runnable> shortcuts = new LinkedHashMap<>();
    private final Label engineLine = new Label();

    /** A window whose theme is light until the user picks another, remembered nowhere (tests). */
    public MainWindow(List<Feature> features, String selected) {
        this(features, selected, ThemePreference.fixed());
    }

    /** A window with the theme control bound to {@code theme}. */
    public MainWindow(List<Feature> features, String selected, ThemePreference theme) {
        Label brand = new Label("Culvert");
        brand.setId("title");
        brand.getStyleClass().add("title-3");
        VBox column = new VBox(8, brand);
        column.setPadding(new Insets(16, 12, 16, 12));
        column.setMinWidth(180); // wider when a title needs it (issue 12)
        column.setAlignment(Pos.TOP_LEFT);
        column.getStyleClass().add("nav");
        for (Feature f : features) {
            ToggleButton b = new ToggleButton(f.title());
            b.setId("nav-" + f.id());
            b.setMaxWidth(Double.MAX_VALUE);
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setToggleGroup(nav);
            b.setUserData(f);
            // Alt+letter (the title's '_' mnemonic) fires an action event without toggling: show the face then too.
            b.addEventHandler(javafx.event.ActionEvent.ACTION, e -> b.setSelected(true));
            column.getChildren().add(b);
            int n = column.getChildren().size() - 1; // Ctrl+1 for the first face
            if (n <= 9) {
                KeyCombination key = new KeyCodeCombination(KeyCode.getKeyCode(Integer.toString(n)), KeyCombination.SHORTCUT_DOWN);
                b.setTooltip(new Tooltip(key.getDisplayText()));
                shortcuts.put(key, () -> b.setSelected(true));
            }
            shortcuts.putAll(f.shortcuts());
            if (f.id().equals(selected) || selected == null && column.getChildren().size() == 2) {
                b.setSelected(true);
                show(f);
            }
        }
        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        Messages msg = Messages.of("shell");
        Label themeLabel = new Label(msg.get("theme.label"));
        themeLabel.setMinWidth(Region.USE_PREF_SIZE);
        ComboBox<Choice> themes = new ComboBox<>();
        themes.setId("theme");
        themes.getItems().setAll(Choice.values());
        themes.setMaxWidth(Double.MAX_VALUE);
        themes.setMinWidth(Region.USE_PREF_SIZE);
        themes.setCellFactory(v -> new ChoiceCell(msg));
        themes.setButtonCell(new ChoiceCell(msg));
        themes.valueProperty().bindBidirectional(theme.choiceProperty());
        themeLabel.setLabelFor(themes);
        column.getChildren().addAll(spacer, themeLabel, themes, engineLine);
        engineLine.setId("engine-mode");
        engineLine.getStyleClass().addAll("text-muted", "text-small");
        engineLine.setWrapText(true);
        engineLine.setMaxWidth(Double.MAX_VALUE);
        engineLine.setPrefWidth(150); // wraps within the column instead of widening it
        nav.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true);
            } else {
                show((Feature) now.getUserData());
            }
        });
        root.setLeft(column);
        root.setCenter(content);
        root.getStylesheets().add(io.culvert.app.common.Theme.STYLESHEET);
        root.sceneProperty().addListener((o, was, scene) -> {
            if (was != null) {
                shortcuts.keySet().forEach(was.getAccelerators()::remove);
            }
            if (scene != null) {
                scene.getAccelerators().putAll(shortcuts);
            }
        });
    }

    /** A theme choice in the user's words. */
    private static final class ChoiceCell extends ListCell<Choice> {
        private final Messages msg;

        ChoiceCell(Messages msg) {
            this.msg = msg;
        }

        @Override
        protected void updateItem(Choice c, boolean empty) {
            super.updateItem(c, empty);
            setText(empty || c == null ? null : msg.get("theme." + c.name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private void show(Feature f) {
        Node view = f.view();
        content.getChildren().setAll(view);
    }

    public BorderPane root() {
        return root;
    }

    /** Says at the foot of the navigation where the engine runs (culvertd, or in the app with or without root). */
    public void showEngineMode(io.culvert.app.AppContext.EngineMode mode) {
        String text = Messages.of("shell").get("engine." + mode.name().toLowerCase(java.util.Locale.ROOT));
        engineLine.setText(text);
        engineLine.setTooltip(new Tooltip(text));
    }

    /** Puts the feature {@code id} on screen (an imported file shows the client face). */
    public void select(String id) {
        nav.getToggles().stream().filter(t -> ((Feature) t.getUserData()).id().equals(id)).findFirst()
                .ifPresent(t -> t.setSelected(true));
    }

    /** The id of the feature on screen. */
    public String selected() {
        return nav.getSelectedToggle() == null ? null : ((Feature) nav.getSelectedToggle().getUserData()).id();
    }
}
