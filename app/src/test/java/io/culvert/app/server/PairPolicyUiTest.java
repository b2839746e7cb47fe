package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 13's pair-policy editor through the real UI over the real engine (in-memory devices, loopback sockets): the
 * Client-to-client policy step of the Edit dialog (after Forwarding) offers the server's issued clients and its groups, refuses an unknown client and a
 * rule with itself in words, lists, adds and removes rules, says a running server restarts to apply them; the saved
 * server config holds the culvert-c2c lines, which the engine's own config reader turns into the policy it enforces,
 * and a second Edit shows them again.
 */
@ExtendWith(ApplicationExtension.class)
class PairPolicyUiTest {
    private static final Messages M = Messages.of("server");
    @TempDir
    Path dir;
    private AppContext context;
    private ExecutorService background;

    @Start
    void start(Stage s) {
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        background = Executors.newVirtualThreadPerTaskExecutor();
        context = new AppContext(engine, dir, background,
                io.culvert.engine.profiles.LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system()),
                LocalServerAdmin.open(engine, dir, InstantSource.system()));
        new CulvertApp().start(s, context);
    }

    @AfterEach
    void stop() {
        context.servers().close();
        background.shutdownNow();
    }

    @Test
    void theEditorAddsAndRemovesRulesRefusesBadOnesAndTheSavedConfigIsThePolicyTheEngineReads(FxRobot robot)
            throws Exception {
        robot.clickOn("#nav-servers");
        robot.clickOn("#server-new");
        robot.clickOn("#wizard-name").write("office");
        robot.clickOn("#wizard-publicHost").write("127.0.0.1");
        robot.clickOn("#wizard-next").clickOn("#wizard-next");
        robot.clickOn("#wizard-port");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(Integer.toString(FreePorts.udp()));
        robot.clickOn("#wizard-bind").write("127.0.0.1");
        robot.clickOn("#wizard-next").clickOn("#wizard-next").clickOn("#wizard-next");
        // a new server has issued no client yet: a typed name is refused by name
        robot.clickOn("#wizard-pair-a").write("alice");
        robot.clickOn("#wizard-pair-b").write("bob");
        robot.clickOn("#wizard-pair-add");
        assertEquals("Unknown client 'alice': this server has issued no certificate to it.",
                label(robot, "#wizard-pair-problem"));
        assertEquals(M.get("wizard.pairs.none"), ((Label) robot.lookup("#wizard-pairs").queryAs(ListView.class)
                .getPlaceholder()).getText());
        robot.clickOn("#wizard-create");
        waitFor(() -> "office".equals(label(robot, "#server-name")), "the new server");
        robot.clickOn("#tab-clients");
        for (String name : List.of("alice", "bob", "carol")) {
            issue(robot, name);
        }

        robot.clickOn("#server-edit");
        for (int i = 0; i < 5; i++) {
            robot.clickOn("#wizard-next");
        }
        @SuppressWarnings("unchecked")
        ComboBox<String> a = robot.lookup("#wizard-pair-a").queryAs(ComboBox.class);
        @SuppressWarnings("unchecked")
        ComboBox<String> b = robot.lookup("#wizard-pair-b").queryAs(ComboBox.class);
        assertEquals(List.of("alice", "bob", "carol"), a.getItems(), "the pickers offer the issued clients");
        assertEquals(M.get("wizard.pairs.help"), label(robot, "#wizard-pairs-help"));
        assertTrue(label(robot, "#wizard-pairs-help").contains("a running server restarts to apply them"));

        pick(robot, a, "alice", b, "alice");
        assertEquals("'alice' with itself: a rule is about two different clients or groups.",
                label(robot, "#wizard-pair-problem"));
        pick(robot, a, "alice", b, "bob");
        assertEquals("", label(robot, "#wizard-pair-problem"));
        robot.clickOn("#wizard-pair-groups").write("staff carol");
        robot.interact(a::show);
        assertEquals(List.of("alice", "bob", "carol", "@staff"), a.getItems(), "the group among the choices");
        robot.interact(a::hide);
        pick(robot, a, "@staff", b, "bob");
        pick(robot, a, "carol", b, "alice");
        @SuppressWarnings("unchecked")
        ListView<io.culvert.engine.api.ServerSpec.Pair> rules = robot.lookup("#wizard-pairs").queryAs(ListView.class);
        assertEquals(List.of("alice \u2194 bob: denied", "@staff \u2194 bob: denied", "carol \u2194 alice: denied"),
                cells(robot, rules));
        robot.interact(() -> rules.getSelectionModel().select(2));
        robot.clickOn("#wizard-pair-remove");
        assertEquals(List.of("alice \u2194 bob: denied", "@staff \u2194 bob: denied"), cells(robot, rules));

        // without client-to-client the policy cannot apply: Save is refused with the reason
        assertTrue(robot.lookup("#wizard-create").queryButton().isDisabled(), "the policy needs client-to-client");
        assertEquals(M.get("wizard.error.pairsNeedC2c"), label(robot, "#wizard-problems"));
        robot.clickOn("#wizard-back").clickOn("#wizard-back").clickOn("#wizard-back");
        robot.clickOn("#wizard-c2c");
        robot.clickOn("#wizard-create");

        Path conf = dir.resolve("servers/office/server.conf");
        waitFor(() -> Files.readString(conf).contains("culvert-c2c-deny"), "the policy is saved");
        String written = Files.readString(conf);
        assertTrue(written.contains("\nclient-to-client\nsetenv opt culvert-c2c-group staff carol\n"
                + "setenv opt culvert-c2c-deny alice bob\nsetenv opt culvert-c2c-deny @staff bob\n"), written);
        PairPolicy policy = ServerConfig.load(conf, false).clients().pairPolicy();
        assertEquals(PairPolicy.Mode.DENY_LISTED, policy.mode());
        assertFalse(policy.allows("alice", "bob"), policy.describe());
        assertFalse(policy.allows("bob", "carol"), policy.describe());
        assertTrue(policy.allows("alice", "carol"), policy.describe());

        // the Edit dialog shows the saved rules again; allow-only turns them into the only pairs that may talk
        robot.clickOn("#server-edit");
        for (int i = 0; i < 5; i++) {
            robot.clickOn("#wizard-next");
        }
        @SuppressWarnings("unchecked")
        ListView<io.culvert.engine.api.ServerSpec.Pair> again = robot.lookup("#wizard-pairs").queryAs(ListView.class);
        assertEquals(List.of("alice \u2194 bob: denied", "@staff \u2194 bob: denied"), cells(robot, again));
        assertEquals("staff carol", robot.lookup("#wizard-pair-groups").queryTextInputControl().getText());
        robot.clickOn("#wizard-pairs-mode-ALLOW_ONLY");
        assertEquals(List.of("alice \u2194 bob: allowed", "@staff \u2194 bob: allowed"), cells(robot, again));
        robot.clickOn("#wizard-create");
        waitFor(() -> Files.readString(conf).contains("culvert-c2c-allow-only"), "allow-only is saved");
        PairPolicy only = ServerConfig.load(conf, false).clients().pairPolicy();
        assertEquals(PairPolicy.Mode.ALLOW_ONLY_LISTED, only.mode());
        assertTrue(only.allows("alice", "bob"), only.describe());
        assertFalse(only.allows("alice", "carol"), only.describe());
    }

    private static void pick(FxRobot robot, ComboBox<String> a, String left, ComboBox<String> b, String right) {
        robot.interact(() -> {
            a.setValue(left);
            b.setValue(right);
        });
        robot.clickOn("#wizard-pair-add");
    }

    private static List<String> cells(FxRobot robot, ListView<?> list) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(n -> n instanceof javafx.scene.control.ListCell<?> c && c.getListView() == list
                && c.getText() != null).queryAllAs(javafx.scene.control.ListCell.class).stream()
                .sorted(java.util.Comparator.comparingInt(javafx.scene.control.ListCell::getIndex))
                .map(c -> c.getText()).toList();
    }

    private static void issue(FxRobot robot, String name) throws Exception {
        TableView<ClientCertificate> certs = robot.lookup("#clients-table").queryTableView();
        int before = certs.getItems().size();
        robot.clickOn("#client-name").write(name);
        robot.clickOn("#client-issue");
        waitFor(() -> certs.getItems().size() == before + 1, name + " in the client list");
    }

    private static String label(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }


    private static void waitFor(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out: " + what, e);
        }
    }
}
