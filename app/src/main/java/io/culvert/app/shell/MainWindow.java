package io.culvert.app.shell;

import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import io.culvert.app.common.Messages;
import io.culvert.app.common.Theme;
import javafx.scene.control.CheckBox;
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

    public MainWindow(List<Feature> features, String selected) {
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
            column.getChildren().add(b);
            if (f.id().equals(selected) || selected == null && column.getChildren().size() == 2) {
                b.setSelected(true);
                show(f);
            }
        }
        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        CheckBox dark = new CheckBox(Messages.of("shell").get("theme.dark"));
        dark.setId("theme-dark");
        dark.setMinWidth(Region.USE_PREF_SIZE);
        dark.selectedProperty().addListener((obs, was, on) -> (on ? Theme.DARK : Theme.LIGHT).apply());
        column.getChildren().addAll(spacer, dark);
        nav.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true);
            } else {
                show((Feature) now.getUserData());
            }
        });
        root.setLeft(column);
        root.setCenter(content);
    }

    private void show(Feature f) {
        Node view = f.view();
        content.getChildren().setAll(view);
    }

    public BorderPane root() {
        return root;
    }

    /** The id of the feature on screen. */
    public String selected() {
        return nav.getSelectedToggle() == null ? null : ((Feature) nav.getSelectedToggle().getUserData()).id();
    }
}
