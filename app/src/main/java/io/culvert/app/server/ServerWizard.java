package io.culvert.app.server;

import io.culvert.app.common.Fit;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ServerSpec;
import java.util.List;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The create-server wizard (and, filled, the Edit dialog): its steps over a {@link ServerWizardViewModel}; the result is
 * the spec to create or save.
 */
final class ServerWizard extends Dialog<ServerSpec> {
    private final Messages m;

    ServerWizard(Window owner, Messages m, ServerWizardViewModel vm) {
        this.m = m;
        initOwner(owner);
        setResizable(true);
        Fit.dialog(this);
        setTitle(vm.isEditing() ? m.get("edit.title", vm.nameProperty().get()) : m.get("wizard.title"));
        ButtonType create = new ButtonType(m.get(vm.isEditing() ? "edit.save" : "wizard.create"), ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(create, ButtonType.CANCEL);
        Node createButton = getDialogPane().lookupButton(create);
        createButton.setId("wizard-create");
        createButton.disableProperty().bind(vm.completeBinding().not());

        List<GridPane> pages = List.of(namePage(vm), networkPage(vm), transportPage(vm), clientsPage(vm),
                forwardingPage(vm), pairPage(vm));
        StackPane stack = new StackPane();
        stack.getChildren().addAll(pages);
        Label step = new Label();
        step.setId("wizard-step");
        step.getStyleClass().add("title-4");
        Label problems = new Label();
        problems.setId("wizard-problems");
        Fit.wrapped(problems);
        problems.getStyleClass().add("danger");
        Button back = new Button(m.get("wizard.back"));
        back.setId("wizard-back");
        back.setOnAction(e -> vm.back());
        back.disableProperty().bind(vm.stepProperty().isEqualTo(0));
        Button next = new Button(m.get("wizard.next"));
        next.setId("wizard-next");
        next.setDefaultButton(false);
        next.setOnAction(e -> vm.next());
        next.disableProperty().bind(vm.stepValidBinding().not().or(vm.stepProperty().isEqualTo(ServerWizardViewModel.STEPS - 1)));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Fit.whole(back, next);
        HBox nav = new HBox(8, grow, back, next);

        Runnable showStep = () -> {
            int s = vm.stepProperty().get();
            for (int i = 0; i < pages.size(); i++) {
                pages.get(i).setVisible(i == s);
            }
            step.setText(m.get("wizard.step", s + 1, ServerWizardViewModel.STEPS, m.get("wizard.step" + s)));
        };
        vm.stepProperty().addListener((o, a, b) -> showStep.run());
        showStep.run();
        problems.textProperty().bind(Bindings.createStringBinding(() -> vm.problems(vm.stepProperty().get()).stream()
                .map(m::get).collect(Collectors.joining("\n")), vm.stepValidBinding(), vm.stepProperty()));

        VBox content = new VBox(12, step, stack, problems, nav);
        if (vm.isEditing()) {
            Label note = help("edit.note");
            note.setId("edit-note");
            content.getChildren().add(0, note);
        }
        content.setMinWidth(Region.USE_PREF_SIZE);
        getDialogPane().setContent(content);
        setResultConverter(b -> b == create ? vm.toSpec() : null);
    }

    private GridPane namePage(ServerWizardViewModel vm) {
        GridPane g = grid();
        TextField name = field("wizard-name", vm.nameProperty().get());
        name.textProperty().bindBidirectional(vm.nameProperty());
        name.setPromptText(m.get("wizard.name.prompt"));
        name.setDisable(vm.isEditing()); // Rename is its own action
        TextField host = field("wizard-publicHost", vm.publicHostProperty().get());
        host.textProperty().bindBidirectional(vm.publicHostProperty());
        row(g, 0, "wizard.name", name);
        row(g, 1, "wizard.publicHost", host);
        g.add(help("wizard.publicHost.help"), 1, 2);
        return g;
    }

    private GridPane networkPage(ServerWizardViewModel vm) {
        GridPane g = grid();
        TextField network = field("wizard-network", null);
        network.textProperty().bindBidirectional(vm.networkProperty());
        TextField netmask = field("wizard-netmask", null);
        netmask.textProperty().bindBidirectional(vm.netmaskProperty());
        row(g, 0, "wizard.network", network);
        row(g, 1, "wizard.netmask", netmask);
        g.add(help("wizard.netmask.help"), 1, 2);
        row(g, 3, "wizard.device", radios("wizard-device-", vm.deviceProperty(), ServerSpec.Device.values(), "wizard.device."));
        HBox topology = radios("wizard-topology-", vm.topologyProperty(), ServerSpec.Topology.values(), "wizard.topology.");
        topology.disableProperty().bind(vm.deviceProperty().isEqualTo(ServerSpec.Device.TAP));
        row(g, 4, "wizard.topology", topology);
        Label tapNote = help("wizard.topology.tapNote");
        tapNote.visibleProperty().bind(vm.deviceProperty().isEqualTo(ServerSpec.Device.TAP));
        g.add(tapNote, 1, 5);
        TextField ipv6 = field("wizard-ipv6", null);
        ipv6.textProperty().bindBidirectional(vm.ipv6NetworkProperty());
        ipv6.setPromptText(m.get("wizard.ipv6.prompt"));
        row(g, 6, "wizard.ipv6", ipv6);
        g.add(help("wizard.ipv6.help"), 1, 7);
        return g;
    }

    private GridPane transportPage(ServerWizardViewModel vm) {
        GridPane g = grid();
        TextField port = field("wizard-port", null);
        port.textProperty().bindBidirectional(vm.portProperty());
        TextField bind = field("wizard-bind", null);
        bind.textProperty().bindBidirectional(vm.bindAddressProperty());
        bind.setPromptText(m.get("wizard.bindAddress.prompt"));
        CheckBox c2c = new CheckBox(m.get("wizard.clientToClient"));
        c2c.setId("wizard-c2c");
        Fit.wrapped(c2c);
        c2c.setMaxWidth(420);
        c2c.selectedProperty().bindBidirectional(vm.clientToClientProperty());
        FlowPane ciphers = new FlowPane(10, 6);
        for (String c : ServerSpec.KNOWN_CIPHERS) {
            CheckBox box = Fit.whole(new CheckBox(c));
            box.setId("wizard-cipher-" + c);
            box.setSelected(vm.ciphers().contains(c));
            box.selectedProperty().addListener((o, was, now) -> {
                if (now && !vm.ciphers().contains(c)) {
                    vm.ciphers().add(c);
                } else if (!now) {
                    vm.ciphers().remove(c);
                }
            });
            ciphers.getChildren().add(box);
        }
        ciphers.setPrefWrapLength(360);
        row(g, 0, "wizard.port", port);
        row(g, 1, "wizard.proto", radios("wizard-proto-", vm.protoProperty(), ServerSpec.Proto.values(), "wizard.proto."));
        row(g, 2, "wizard.bindAddress", bind);
        g.add(c2c, 1, 3);
        row(g, 4, "wizard.ciphers", ciphers);
        webSocketRows(g, 5, vm);
        return g;
    }

    /**
     * OpenVPN over WebSocket behind nginx from {@code row} on: the switch, the loopback port and path nginx forwards to,
     * and the location block for the site's {@code server} block (the admin guide's template filled in), to copy.
     */
    private void webSocketRows(GridPane g, int row, ServerWizardViewModel vm) {
        CheckBox on = new CheckBox(m.get("wizard.websocket"));
        on.setId("wizard-websocket");
        Fit.wrapped(on);
        on.setMaxWidth(420);
        on.selectedProperty().bindBidirectional(vm.webSocketProperty());
        TextField port = field("wizard-websocket-port", null);
        port.textProperty().bindBidirectional(vm.webSocketPortProperty());
        port.setPrefColumnCount(6);
        TextField path = field("wizard-websocket-path", null);
        path.textProperty().bindBidirectional(vm.webSocketPathProperty());
        javafx.scene.control.TextArea snippet = new javafx.scene.control.TextArea();
        snippet.setId("wizard-nginx-snippet");
        snippet.setEditable(false);
        snippet.getStyleClass().add("monospace");
        snippet.setPrefRowCount(4);
        snippet.setPrefColumnCount(40);
        snippet.textProperty().bind(vm.nginxSnippetBinding());
        Button copy = Fit.whole(new Button(m.get("wizard.websocket.copy")));
        copy.setId("wizard-nginx-copy");
        copy.disableProperty().bind(snippet.textProperty().isEmpty());
        copy.setOnAction(e -> {
            javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
            content.putString(snippet.getText());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        for (Node n : List.of(port, path, snippet)) {
            n.disableProperty().bind(vm.webSocketProperty().not());
        }
        g.add(on, 1, row);
        row(g, row + 1, "wizard.websocket.port", port);
        row(g, row + 2, "wizard.websocket.path", path);
        row(g, row + 3, "wizard.websocket.snippet", snippet);
        g.add(copy, 1, row + 4);
        g.add(help("wizard.websocket.help"), 1, row + 5);
        // The details only while the endpoint is on: the step keeps the wizard's size at the default window size.
        for (Node n : List.copyOf(g.getChildren())) {
            Integer r = GridPane.getRowIndex(n);
            if (r != null && r > row && r <= row + 5) {
                n.visibleProperty().bind(vm.webSocketProperty());
                n.managedProperty().bind(vm.webSocketProperty());
            }
        }
        // ... and the dialog takes the details' room when they show, gives it back when they go
        vm.webSocketProperty().addListener((o, was, is) -> javafx.application.Platform.runLater(() -> {
            if (g.getScene() != null && g.getScene().getWindow() != null) {
                g.getScene().getWindow().sizeToScene();
            }
        }));
    }

    private GridPane clientsPage(ServerWizardViewModel vm) {
        GridPane g = grid();
        TextField ping = field("wizard-keepalive-ping", null);
        ping.textProperty().bindBidirectional(vm.keepalivePingProperty());
        ping.setPrefColumnCount(6);
        TextField timeout = field("wizard-keepalive-timeout", null);
        timeout.textProperty().bindBidirectional(vm.keepaliveTimeoutProperty());
        timeout.setPrefColumnCount(6);
        TextField dns = field("wizard-dns", null);
        dns.textProperty().bindBidirectional(vm.dnsServersProperty());
        dns.setPromptText(m.get("wizard.dns.prompt"));
        row(g, 0, "wizard.keepalivePing", ping);
        row(g, 1, "wizard.keepaliveTimeout", timeout);
        g.add(help("wizard.keepalive.help"), 1, 2);
        row(g, 3, "wizard.dns", dns);
        g.add(help("wizard.dns.help"), 1, 4);
        return g;
    }

    private GridPane forwardingPage(ServerWizardViewModel vm) {
        GridPane g = grid();
        CheckBox gateway = new CheckBox(m.get("wizard.gateway"));
        gateway.setId("wizard-gateway");
        Fit.wrapped(gateway);
        gateway.setMaxWidth(420);
        gateway.selectedProperty().bindBidirectional(vm.gatewayProperty());
        javafx.scene.control.ComboBox<String> outbound = new javafx.scene.control.ComboBox<>();
        outbound.setId("wizard-gateway-if");
        outbound.setEditable(true);
        outbound.getItems().setAll(interfaces(vm.gatewayOutboundProperty().get()));
        outbound.setValue(vm.gatewayOutboundProperty().get());
        outbound.valueProperty().addListener((o, was, now) -> vm.gatewayOutboundProperty().set(now == null ? "" : now));
        outbound.getEditor().textProperty().addListener((o, was, now) -> vm.gatewayOutboundProperty().set(now));
        HBox family = radios("wizard-gateway-family-", vm.gatewayFamilyProperty(), ServerSpec.Family.values(),
                "wizard.gateway.family.");
        TextField resolvers = field("wizard-gateway-resolvers", null);
        resolvers.textProperty().bindBidirectional(vm.gatewayResolversProperty());
        resolvers.setPromptText(m.get("wizard.gateway.resolvers.prompt"));
        for (Node n : List.of(outbound, family, resolvers)) {
            n.disableProperty().bind(vm.gatewayProperty().not());
        }
        javafx.scene.control.TextArea reach = new javafx.scene.control.TextArea();
        reach.setId("wizard-reach");
        reach.setPrefRowCount(2);
        reach.setPrefColumnCount(22);
        reach.textProperty().bindBidirectional(vm.reachProperty());
        reach.setPromptText(m.get("wizard.reach.prompt"));
        g.add(gateway, 0, 0, 2, 1);
        row(g, 1, "wizard.gateway.interface", outbound);
        row(g, 2, "wizard.gateway.family", family);
        row(g, 3, "wizard.gateway.resolvers", resolvers);
        g.add(help("wizard.gateway.help"), 1, 4);
        row(g, 5, "wizard.reach", reach);
        g.add(help("wizard.reach.help"), 1, 6);
        return g;
    }

    private GridPane pairPage(ServerWizardViewModel vm) {
        GridPane g = grid();
        pairEditor(g, 0, vm);
        return g;
    }

    /**
     * The client-to-client pair policy from {@code row} on: what the rules mean, the rules, two pickers (the server's
     * issued clients and its groups) with Add, Remove, and the groups.
     */
    private void pairEditor(GridPane g, int row, ServerWizardViewModel vm) {
        HBox mode = radios("wizard-pairs-mode-", vm.pairs().modeProperty(), PairPolicyForm.Mode.values(),
                "wizard.pairs.mode.");
        javafx.scene.control.ListView<ServerSpec.Pair> rules = new javafx.scene.control.ListView<>(vm.pairs().rules());
        rules.setId("wizard-pairs");
        rules.setPrefHeight(96);
        rules.setPlaceholder(Fit.wrapped(new Label(m.get("wizard.pairs.none"))));
        rules.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(ServerSpec.Pair p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : m.get(vm.pairs().modeProperty().get() == PairPolicyForm.Mode.DENY
                        ? "wizard.pairs.rule.deny" : "wizard.pairs.rule.allow", p.a(), p.b()));
            }
        });
        vm.pairs().modeProperty().addListener((o, was, now) -> rules.refresh());
        javafx.scene.control.ComboBox<String> a = picker("wizard-pair-a", vm.pairs().aProperty(), vm.pairs());
        javafx.scene.control.ComboBox<String> b = picker("wizard-pair-b", vm.pairs().bProperty(), vm.pairs());
        Button add = Fit.whole(new Button(m.get("wizard.pairs.add")));
        add.setId("wizard-pair-add");
        add.setOnAction(e -> vm.pairs().add());
        Button remove = Fit.whole(new Button(m.get("wizard.pairs.remove")));
        remove.setId("wizard-pair-remove");
        remove.disableProperty().bind(rules.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> vm.pairs().remove(rules.getSelectionModel().getSelectedItem()));
        HBox pick = new HBox(6, a, Fit.whole(new Label("\u2194")), b, add, remove);
        pick.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        Label problem = new Label();
        problem.setId("wizard-pair-problem");
        Fit.wrapped(problem);
        problem.setMaxWidth(420);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(Bindings.createStringBinding(() -> vm.pairs().problemProperty().get().isEmpty() ? ""
                : m.get(vm.pairs().problemProperty().get(), vm.pairs().problemNameProperty().get()), vm.pairs().problemProperty(),
                vm.pairs().problemNameProperty()));
        javafx.scene.control.TextArea groups = new javafx.scene.control.TextArea();
        groups.setId("wizard-pair-groups");
        groups.setPrefRowCount(2);
        groups.setPrefColumnCount(22);
        groups.textProperty().bindBidirectional(vm.pairs().groupsProperty());
        groups.setPromptText(m.get("wizard.pairs.groups.prompt"));
        row(g, row, "wizard.pairs", mode);
        g.add(rules, 1, row + 1);
        g.add(pick, 1, row + 2);
        g.add(problem, 1, row + 3);
        row(g, row + 4, "wizard.pairs.groups", groups);
        Label help = help("wizard.pairs.help");
        help.setId("wizard-pairs-help");
        g.add(help, 1, row + 5);
    }

    /** An editable picker of the server's issued clients and {@code @GROUP}s, bound both ways to {@code side}. */
    private static javafx.scene.control.ComboBox<String> picker(String id, javafx.beans.property.StringProperty side,
            PairPolicyForm form) {
        javafx.scene.control.ComboBox<String> c = new javafx.scene.control.ComboBox<>();
        c.setId(id);
        c.setEditable(true);
        c.setPrefWidth(130);
        c.getItems().setAll(form.choices());
        c.setOnShowing(e -> c.getItems().setAll(form.choices()));
        c.valueProperty().addListener((o, was, now) -> side.set(now == null ? "" : now));
        c.getEditor().textProperty().addListener((o, was, now) -> side.set(now));
        side.addListener((o, was, now) -> {
            if (now.isEmpty() && !c.getEditor().getText().isEmpty()) {
                c.setValue(null);
                c.getEditor().clear();
            }
        });
        return c;
    }

    /** "auto", the host's interfaces other than loopback, and {@code current} when it is none of them. */
    private static List<String> interfaces(String current) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add(ServerWizardViewModel.AUTO);
        try {
            java.net.NetworkInterface.networkInterfaces().filter(i -> {
                try {
                    return !i.isLoopback();
                } catch (java.net.SocketException e) {
                    return false;
                }
            }).map(java.net.NetworkInterface::getName).sorted().forEach(names::add);
        } catch (java.net.SocketException e) {
            // only "auto" and what the config names
        }
        if (current != null && !current.isBlank()) {
            names.add(current.strip());
        }
        return List.copyOf(names);
    }

    private <E extends Enum<E>> HBox radios(String idPrefix, ObjectProperty<E> property, E[] values, String keyPrefix) {
        ToggleGroup group = new ToggleGroup();
        HBox box = new HBox(12);
        for (E v : values) {
            RadioButton b = Fit.whole(new RadioButton(m.get(keyPrefix + v.name())));
            b.setId(idPrefix + v.name());
            b.setUserData(v);
            b.setToggleGroup(group);
            b.setSelected(property.get() == v);
            box.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((o, was, now) -> {
            if (now != null) {
                @SuppressWarnings("unchecked")
                E value = (E) now.getUserData();
                property.set(value);
            }
        });
        property.addListener((o, was, now) -> group.getToggles().stream().filter(t -> t.getUserData() == now).findFirst()
                .ifPresent(group::selectToggle));
        return box;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        g.getColumnConstraints().addAll(Fit.labelColumn(), Fit.fieldColumn(240));
        return g;
    }

    private static TextField field(String id, String text) {
        TextField f = new TextField(text == null ? "" : text);
        f.setId(id);
        f.setPrefColumnCount(22);
        return f;
    }

    private void row(GridPane g, int row, String labelKey, Node field) {
        g.add(Fit.whole(new Label(m.get(labelKey))), 0, row);
        g.add(field, 1, row);
    }

    private Label help(String key) {
        Label l = new Label(m.get(key));
        Fit.wrapped(l);
        l.setMaxWidth(420);
        l.getStyleClass().add("text-muted");
        return l;
    }
}
