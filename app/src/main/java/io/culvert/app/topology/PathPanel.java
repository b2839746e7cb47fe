package io.culvert.app.topology;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.PathCheck;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * "Why can't A reach B?" (ADR 0044): two choosers filled from the connected instances, the probe switch, Check path,
 * and the answer as its summary and one line per check (verdict and words). Thin: the check runs in
 * {@link TopologyViewModel#checkPath}. FX thread only.
 */
final class PathPanel extends VBox {
    private final TopologyViewModel vm;
    private final ObservableList<String> names = FXCollections.observableArrayList();
    private final ComboBox<String> from = new ComboBox<>(names);
    private final ComboBox<String> to = new ComboBox<>(names);
    private final VBox steps = new VBox(3);

    PathPanel(TopologyViewModel vm, Messages messages) {
        this.vm = vm;
        setId("topology-path");
        getStyleClass().add("topology-instance");
        setSpacing(8);
        setPadding(new Insets(12));
        Label title = Fit.tipped(new Label(messages.get("path.title")));
        title.getStyleClass().add("title-4");
        from.setId("topology-path-from");
        to.setId("topology-path-to");
        from.setMaxWidth(Double.MAX_VALUE);
        to.setMaxWidth(Double.MAX_VALUE);
        GridPane choose = new GridPane();
        choose.setHgap(10);
        choose.setVgap(6);
        choose.getColumnConstraints().addAll(Fit.labelColumn(), Fit.fieldColumn(60));
        choose.addRow(0, Fit.whole(new Label(messages.get("path.from"))), from);
        choose.addRow(1, Fit.whole(new Label(messages.get("path.to"))), to);
        CheckBox probe = new CheckBox(messages.get("path.probe"));
        probe.setId("topology-path-probe");
        probe.setWrapText(true);
        probe.selectedProperty().bindBidirectional(vm.probeProperty());
        Button check = new Button(messages.get("path.check"));
        check.setId("topology-path-check");
        check.setDefaultButton(false);
        check.disableProperty().bind(vm.pathBusyProperty());
        check.setOnAction(e -> vm.checkPath(from.getValue(), to.getValue()));
        Button clear = new Button(messages.get("path.clear"));
        clear.setId("topology-path-clear");
        clear.getStyleClass().add("flat");
        clear.setOnAction(e -> vm.clearPath());
        Fit.whole(check, clear);
        HBox actions = new HBox(8, check, clear);
        actions.setAlignment(Pos.CENTER_LEFT);
        Label summary = Fit.wrapped(new Label());
        summary.setId("topology-path-summary");
        summary.textProperty().bind(vm.pathMessageProperty());
        summary.setMinHeight(Region.USE_PREF_SIZE);
        steps.setId("topology-path-steps");
        getChildren().setAll(title, choose, probe, actions, summary, steps);
        vm.pathCheckProperty().addListener((obs, old, now) -> showSteps(now));
        vm.versionProperty().addListener(o -> refreshNames());
        vm.selectedProperty().addListener((obs, old, peer) -> {
            NodeState n = peer.intValue() == TopologyViewModel.NONE ? null : vm.model().node(peer.intValue());
            if (n != null) {
                from.setValue(n.info().commonName());
            }
        });
        refreshNames();
    }

    /** The connected instances' common names, keeping the chosen ones. */
    private void refreshNames() {
        List<String> now = vm.model().nodes().stream().filter(NodeState::present).map(n -> n.info().commonName())
                .distinct().sorted().toList();
        if (!now.equals(names)) {
            String a = from.getValue();
            String b = to.getValue();
            names.setAll(now);
            from.setValue(a);
            to.setValue(b);
        }
    }

    private void showSteps(PathCheck check) {
        steps.getChildren().clear();
        if (check == null) {
            return;
        }
        for (PathCheck.Step s : check.steps()) {
            Label line = Fit.wrapped(new Label(s.line()));
            line.setMinHeight(Region.USE_PREF_SIZE);
            line.getStyleClass().add(switch (s.verdict()) {
                case PathCheck.Fault f -> "danger";
                case PathCheck.Unknown u -> "text-muted";
                case PathCheck.Ok o -> "success";
            });
            line.getStyleClass().add("topology-path-step");
            steps.getChildren().add(line);
        }
    }

    /** The answer as shown, one line per check (tests, screenshots). */
    List<String> shownSteps() {
        return steps.getChildren().stream().map(n -> ((Label) n).getText()).toList();
    }
}
