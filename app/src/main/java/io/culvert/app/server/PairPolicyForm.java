package io.culvert.app.server;

import io.culvert.engine.api.ServerSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The pair-policy editor's state on the wizard's Forwarding step (issue 13, ADR 0037): what the rules mean, the rules,
 * the groups, the two sides of the rule to add and why the last Add did not add. A side is a client the server issued
 * or {@code @GROUP} of the groups field. Confined to the FX thread (or the test thread).
 */
public final class PairPolicyForm {
    /** What the client-to-client pair rules mean. */
    public enum Mode {
        /** The listed pairs are denied, every other pair may talk ({@code culvert-c2c-deny}). */
        DENY,
        /** Only the listed pairs may talk ({@code culvert-c2c-allow-only}, {@code culvert-c2c-allow}). */
        ALLOW_ONLY
    }

    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.DENY);
    private final ObservableList<ServerSpec.Pair> rules = FXCollections.observableArrayList();
    private final StringProperty groups = new SimpleStringProperty("");
    private final StringProperty a = new SimpleStringProperty("");
    private final StringProperty b = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty problemName = new SimpleStringProperty("");
    private final List<String> issuedClients;

    /** @param issuedClients the common names the server issued (none for a server still being created) */
    PairPolicyForm(List<String> issuedClients) {
        this.issuedClients = List.copyOf(issuedClients);
    }

    /** Fills the form with {@code pairs}. */
    void fill(ServerSpec.Pairs pairs) {
        mode.set(pairs.allowOnly() ? Mode.ALLOW_ONLY : Mode.DENY);
        rules.setAll(pairs.rules());
        groups.set(pairs.groups().stream().map(g -> g.name() + (g.members().isEmpty() ? "" : " "
                + String.join(" ", g.members()))).collect(Collectors.joining("\n")));
    }

    /** What the step's validity depends on. */
    Observable[] observables() {
        return new Observable[] {mode, rules, groups};
    }

    /** What is wrong with the policy as message keys, given whether client-to-client is on. */
    List<String> problems(boolean clientToClient) {
        List<String> out = new ArrayList<>();
        List<ServerSpec.Group> defined = groupList();
        if (defined == null) {
            out.add("wizard.error.pairGroups");
        } else if (rules.stream().anyMatch(r -> unknownGroup(r.a(), defined) || unknownGroup(r.b(), defined))) {
            out.add("wizard.error.pairGroupMissing");
        }
        if ((mode.get() == Mode.ALLOW_ONLY || !rules.isEmpty()) && !clientToClient) {
            out.add("wizard.error.pairsNeedC2c");
        }
        return out;
    }

    /** The policy the form says; only when {@link #problems} is empty. */
    ServerSpec.Pairs toPairs() {
        return new ServerSpec.Pairs(mode.get() == Mode.ALLOW_ONLY, groupList(), rules);
    }

    /**
     * Adds the rule between the two chosen sides ({@link #aProperty()}, {@link #bProperty()}). Returns whether it was
     * added; otherwise {@link #problemProperty()} holds the message key and {@link #problemNameProperty()} the name at
     * fault: an unknown client or group, a rule with itself, a rule listed already.
     */
    public boolean add() {
        String left = a.get() == null ? "" : a.get().strip();
        String right = b.get() == null ? "" : b.get().strip();
        if (left.isEmpty() || right.isEmpty()) {
            return problem("wizard.pairs.error.pick", "");
        }
        List<ServerSpec.Group> defined = groupList();
        for (String side : List.of(left, right)) {
            if (side.startsWith("@") ? defined == null || unknownGroup(side, defined) : !issuedClients.contains(side)) {
                return problem(side.startsWith("@") ? "wizard.pairs.error.unknownGroup" : "wizard.pairs.error.unknown",
                        side);
            }
        }
        if (left.equals(right)) {
            return problem("wizard.pairs.error.itself", left);
        }
        if (rules.stream().anyMatch(r -> r.a().equals(left) && r.b().equals(right)
                || r.a().equals(right) && r.b().equals(left))) {
            return problem("wizard.pairs.error.duplicate", left + " \u2194 " + right);
        }
        rules.add(new ServerSpec.Pair(left, right));
        a.set("");
        b.set("");
        problem("", "");
        return true;
    }

    /** Removes a rule. */
    public void remove(ServerSpec.Pair rule) {
        rules.remove(rule);
        problem("", "");
    }

    private boolean problem(String key, String name) {
        problemName.set(name);
        problem.set(key);
        return false;
    }

    /** What the pickers offer: the clients the server issued, then {@code @GROUP} for each group. */
    public List<String> choices() {
        List<String> out = new ArrayList<>(issuedClients);
        List<ServerSpec.Group> defined = groupList();
        if (defined != null) {
            defined.forEach(g -> out.add("@" + g.name()));
        }
        return out;
    }

    private static boolean unknownGroup(String side, List<ServerSpec.Group> defined) {
        return side.startsWith("@") && defined.stream().noneMatch(g -> g.name().equals(side.substring(1)));
    }

    /** The groups field, one per line as {@code NAME CN [CN ...]}, or null when a line is not one or a name repeats. */
    List<ServerSpec.Group> groupList() {
        List<ServerSpec.Group> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String line : (groups.get() == null ? "" : groups.get()).split("\n")) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            List<String> w = List.of(text.split("[,\\s]+"));
            try {
                ServerSpec.Group g = new ServerSpec.Group(w.getFirst(), w.subList(1, w.size()));
                if (!names.add(g.name())) {
                    return null;
                }
                out.add(g);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return out;
    }

    /** What the rules mean: the listed pairs denied, or only they allowed. */
    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    /** The rules, in the order written. */
    public ObservableList<ServerSpec.Pair> rules() {
        return rules;
    }

    /** The groups: one per line, {@code NAME CN [CN ...]}. */
    public StringProperty groupsProperty() {
        return groups;
    }

    /** One side of the rule to add: a client's name or {@code @GROUP}. */
    public StringProperty aProperty() {
        return a;
    }

    /** The other side of the rule to add. */
    public StringProperty bProperty() {
        return b;
    }

    /** Why the last {@link #add()} did not add, as a message key taking the name; empty when it did. */
    public StringProperty problemProperty() {
        return problem;
    }

    /** The name the problem is about. */
    public StringProperty problemNameProperty() {
        return problemName;
    }
}
