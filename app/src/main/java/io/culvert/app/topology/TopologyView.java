package io.culvert.app.topology;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;

/**
 * The topology screen's layout: a toolbar (source, demo, storm, fit, status), the live graph with its legend, and
 * beside it the flow matrix and the selected instance's panel. Thin: state lives in {@link TopologyViewModel}.
 */
final class TopologyView {
    private final BorderPane root = new BorderPane();
    private final TopologyCanvas graph;
    private final FlowMatrixView matrix;
    private final InstancePanel panel;

    TopologyView(TopologyViewModel vm, Messages messages) {
        root.setId("topology");
        graph = new TopologyCanvas(vm, messages, vm::select);
        matrix = new FlowMatrixView(messages);
        panel = new InstancePanel(messages, vm::kick, () -> vm.selectedProperty().set(TopologyViewModel.NONE));
        PathPanel path = new PathPanel(vm, messages);

        ComboBox<TopologySource> sources = new ComboBox<>(vm.sources());
        sources.setId("topology-source");
        sources.setPromptText(messages.get("source.prompt"));
        sources.valueProperty().bindBidirectional(vm.sourceProperty());
        sources.setPrefWidth(200);
        sources.setButtonCell(new javafx.scene.control.ListCell<>() {
            {
                Fit.tipped(this);
            }

            @Override
            protected void updateItem(TopologySource s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? sources.getPromptText() : s.toString());
            }
        });
        Button demo = new Button();
        demo.setId("topology-demo");
        demo.textProperty().bind(vm.demoRunningProperty().map(on -> messages.get(on ? "demo.stop" : "demo.start")));
        demo.disableProperty().bind(vm.demoBusyProperty());
        demo.setOnAction(e -> {
            if (vm.demoRunningProperty().get()) {
                vm.stopDemo();
            } else {
                vm.startDemo();
            }
        });
        ToggleButton storm = new ToggleButton(messages.get("demo.storm"));
        storm.setId("topology-storm");
        storm.selectedProperty().bindBidirectional(vm.stormProperty());
        storm.disableProperty().bind(vm.demoRunningProperty().not());
        Button fit = new Button(messages.get("fit"));
        fit.setId("topology-fit");
        fit.setOnAction(e -> graph.fit());
        // The path check opens beside the matrix on demand, so the face keeps its default layout.
        ToggleButton pathOpen = new ToggleButton(messages.get("path.open"));
        pathOpen.setId("topology-path-open");
        path.visibleProperty().bind(pathOpen.selectedProperty());
        path.managedProperty().bind(pathOpen.selectedProperty());
        pathOpen.selectedProperty().addListener((obs, old, on) -> {
            if (!on) {
                vm.clearPath();
            }
        });
        // Open, the panel and its answer take the side's height: the matrix keeps a readable size and the side scrolls.
        matrix.minHeightProperty().bind(pathOpen.selectedProperty().map(on -> on ? 320.0 : 200.0));
        Label status = capped(480);
        status.setId("topology-status");
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("text-muted");
        Fit.whole(demo, storm, fit, pathOpen);
        // The status wraps within 480 px on its own line rather than widening the face past a 1024 px window.
        Fit.wrapped(status);
        sources.setMinWidth(Region.USE_PREF_SIZE);
        Label sourceLabel = Fit.whole(new Label(messages.get("source.label")));
        // Each control keeps its width; when the window is too narrow for all of them (1024×640 with longer
        // translations) the next ones and the status flow onto another line instead of being cut (issue 12).
        HBox source = new HBox(8, sourceLabel, sources);
        source.setAlignment(Pos.CENTER_LEFT);
        source.setMinWidth(Region.USE_PREF_SIZE);
        FlowPane toolbar = new FlowPane(12, 6, source, demo, storm, fit, pathOpen, status);
        toolbar.setId("topology-toolbar");
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(8, 12, 8, 12));

        VBox.setVgrow(graph, Priority.ALWAYS);
        VBox graphPane = new VBox(graph, legend(messages));

        Label matrixTitle = new Label(messages.get("matrix.title"));
        matrixTitle.getStyleClass().add("title-4");
        Fit.whole(matrixTitle);
        Label matrixHint = new Label(messages.get("matrix.hint"));
        matrixHint.getStyleClass().add("text-muted");
        Fit.wrapped(matrixHint);
        VBox.setVgrow(matrix, Priority.ALWAYS);
        VBox side = new VBox(6, matrixTitle, matrixHint, matrix, panel, path);
        side.setPadding(new Insets(10));
        side.setMinWidth(260);
        // On a short window the matrix and the instance panel scroll rather than push the panel's buttons out of it.
        javafx.scene.control.ScrollPane sideScroll = new javafx.scene.control.ScrollPane(side);
        sideScroll.setFitToWidth(true);
        sideScroll.setFitToHeight(true);
        sideScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        sideScroll.setMinWidth(276);
        sideScroll.getStyleClass().add("edge-to-edge");
        SplitPane split = new SplitPane(graphPane, sideScroll);
        split.setDividerPositions(0.7);
        SplitPane.setResizableWithParent(sideScroll, false);
        root.setTop(toolbar);
        root.setCenter(split);

        vm.versionProperty().addListener(o -> {
            matrix.show(vm.model());
            panel.show(vm.selectedProperty().get() == TopologyViewModel.NONE ? null : vm.model().node(vm.selectedProperty().get()));
        });
        vm.selectedProperty().addListener((obs, old, peer) -> panel.show(
                peer.intValue() == TopologyViewModel.NONE ? null : vm.model().node(peer.intValue())));
        matrix.show(vm.model());
    }

    /** The legend, a strip under the graph so it never covers an instance. */
    private static FlowPane legend(Messages messages) {
        Label hint = capped(340);
        hint.setText(messages.get("legend.hint"));
        hint.setTextFill(Palette.TEXT_DIM);
        hint.setStyle("-fx-font-size: 10.5px;");
        Fit.wrapped(hint);
        // The hint flows onto a second line under the legend when the strip is too narrow for both, and wraps
        // within 340 px there, so a long translation does not widen the graph past the window (issue 12).
        FlowPane box = new FlowPane(18, 6,
                legendLine(Palette.UNICAST, messages.get("legend.unicast"), false),
                legendLine(Palette.CLIENT_TO_CLIENT, messages.get("legend.c2c"), false),
                legendLine(Palette.BROADCAST, messages.get("legend.broadcast"), true),
                legendLine(Palette.STORM, messages.get("legend.storm"), true), hint);
        box.setId("topology-legend");
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(8, 14, 8, 14));
        box.setStyle("-fx-background-color: #0a0f1c; -fx-border-color: rgba(148,163,184,0.22) transparent transparent transparent;");
        return box;
    }

    /**
     * A label that asks for at most {@code width} px and wraps beyond (with {@link Fit#wrapped}): a flow pane's
     * minimum width is its widest child's preferred width, so a long translation must not ask for more.
     */
    private static Label capped(double width) {
        return new Label() {
            @Override
            protected double computePrefWidth(double height) {
                return Math.min(width, super.computePrefWidth(height));
            }
        };
    }

    private static HBox legendLine(Color colour, String text, boolean pulse) {
        Line line = new Line(0, 0, 26, 0);
        line.setStroke(colour);
        line.setStrokeWidth(pulse ? 1.5 : 4);
        StackPane sample = new StackPane(line);
        if (pulse) {
            sample.getChildren().add(new Circle(4, colour));
        }
        Label label = new Label(text);
        label.setTextFill(Palette.TEXT);
        label.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, sample, label);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    BorderPane root() {
        return root;
    }

    TopologyCanvas graph() {
        return graph;
    }

    void stop() {
        graph.stop();
    }
}
