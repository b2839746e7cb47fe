package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.Messages;
import io.culvert.app.topology.TopologyFeature;
import io.culvert.app.topology.TopologySource;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 12's server lifecycle through the real UI over the real engine (in-memory devices, loopback sockets): Edit
 * restarts a running server on its new port and says why clients re-import; Rename; Back up…; Delete asks with Cancel
 * as the default; Restore… refuses a wrong passphrase and brings the server back. The topology's source list follows
 * every step and pre-selects the running server.
 */
@ExtendWith(ApplicationExtension.class)
class ServerLifecycleUiTest {
    private static final Messages M = Messages.of("server");
    private static final String PASSPHRASE = "a long passphrase";
    @TempDir
    Path dir;
    private AppContext context;
    private ExecutorService background;
    private CulvertApp app;
    private Path pickedFile;

    @Start
    void start(Stage s) {
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        background = Executors.newVirtualThreadPerTaskExecutor();
        context = new AppContext(engine, dir, background,
                io.culvert.engine.profiles.LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system()),
                LocalServerAdmin.open(engine, dir, InstantSource.system()));
        app = new CulvertApp();
        app.start(s, context);
        app.feature(ServerManagerFeature.class).filePicker(new FilePicker() {
            @Override
            public Path open(Window owner, String title, FileChooser.ExtensionFilter filter) {
                return pickedFile;
            }

            @Override
            public Path save(Window owner, String title, String initialName, FileChooser.ExtensionFilter filter) {
                return pickedFile;
            }
        });
    }

    @AfterEach
    void stop() {
        context.servers().close();
        background.shutdownNow();
    }

    @Test
    void editRenameBackUpDeleteAndRestoreAServer(FxRobot robot) throws Exception {
        robot.clickOn("#nav-servers");
        int port = FreePorts.udp();
        ServerManagerViewModel vm = app.feature(ServerManagerFeature.class).viewModel();
        robot.interact(() -> vm.create(ServerSpec.builder("office", "127.0.0.1").port(port).bindAddress("127.0.0.1")
                .build()));
        waitFor(() -> "office".equals(label(robot, "#server-name")), "the new server is selected");
        waitFor(() -> topologySources().contains("office"), "a created server appears in the topology at once");
        robot.clickOn("#server-start");
        waitFor(() -> label(robot, "#server-state").equals(M.get("server.state.running", "127.0.0.1:" + port + "/udp")), "it runs");
        waitFor(() -> "office".equals(topologySelected()), "the topology pre-selects the running server");

        // Edit: the form is filled with the server's settings; a new port restarts it and says why clients re-import.
        int newPort = FreePorts.udp();
        robot.clickOn("#server-edit");
        assertTrue(robot.lookup("#wizard-name").queryTextInputControl().isDisabled(), "the name is changed by Rename");
        assertEquals(M.get("edit.note"), label(robot, "#edit-note"));
        robot.clickOn("#wizard-next").clickOn("#wizard-next").clickOn("#wizard-port");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(Integer.toString(newPort));
        robot.clickOn("#wizard-create");
        String edited = M.get("status.editedRestarted", "office") + " "
                + M.get("status.reimport", "port " + port + " \u2192 " + newPort + " (the profile's remote line)");
        waitFor(() -> label(robot, "#server-status").equals(edited), "the status says it restarted and why clients re-import");
        waitFor(() -> label(robot, "#server-state").equals(M.get("server.state.running", "127.0.0.1:" + newPort + "/udp")),
                "it runs on the new port");
        assertTrue(label(robot, "#server-summary").contains("port " + newPort), label(robot, "#server-summary"));

        // Rename: the running server keeps running under the new name, in the list and in the topology.
        robot.clickOn("#server-rename");
        robot.clickOn("#rename-name");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("branch");
        robot.clickOn("#rename-ok");
        waitFor(() -> "branch".equals(label(robot, "#server-name")), "renamed");
        waitFor(() -> label(robot, "#server-status").equals(M.get("status.renamed", "office", "branch")),
                "the status says what moved"); // set when the rename's task ends, after the list shows the new name
        waitFor(() -> topologySources().contains("branch") && !topologySources().contains("office"), "the topology follows the rename");
        waitFor(() -> label(robot, "#server-state").startsWith(M.get("server.state.running", "")), "still running");

        // Back up: the passphrase twice, then the file (owner-only).
        pickedFile = dir.resolve("branch.culvert-backup");
        robot.clickOn("#server-backup");
        robot.clickOn("#backup-passphrase").write("short");
        assertEquals(M.get("backup.error.short"), label(robot, "#backup-error"));
        assertTrue(robot.lookup("#backup-ok").queryButton().isDisabled());
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(PASSPHRASE);
        robot.clickOn("#backup-repeat").write(PASSPHRASE);
        robot.clickOn("#backup-ok");
        waitFor(() -> label(robot, "#server-status").equals(M.get("status.backedUp", "branch", pickedFile)), "backed up");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pickedFile)));

        // Delete: Cancel is the default button, so Enter keeps the server; Delete deletes it with its PKI.
        robot.clickOn("#server-delete");
        Button cancel = robot.lookup("#delete-cancel").queryButton();
        assertTrue(cancel.isDefaultButton() && !robot.lookup("#delete-confirm").queryButton().isDefaultButton());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("branch", label(robot, "#server-name"), "Enter cancelled");
        robot.clickOn("#server-delete");
        robot.clickOn("#delete-confirm");
        waitFor(() -> label(robot, "#server-status").equals(M.get("status.deleted", "branch")), "deleted");
        assertEquals(0, robot.lookup("#server-list").queryAs(ListView.class).getItems().size());
        assertFalse(Files.exists(dir.resolve("servers/branch")), "with its PKI");
        waitFor(() -> !topologySources().contains("branch"), "gone from the topology");

        // Restore: a wrong passphrase is refused and changes nothing; the right one brings the server back.
        robot.clickOn("#server-restore");
        assertEquals("branch.culvert-backup", label(robot, "#restore-file"));
        robot.clickOn("#restore-passphrase").write("not the passphrase");
        robot.clickOn("#restore-ok");
        waitFor(() -> label(robot, "#server-status").equals(M.get("status.failed",
                "the passphrase is wrong, or the backup file was changed or damaged")),
                "a wrong passphrase is refused, in words (no error-kind prefix)");
        assertEquals(0, robot.lookup("#server-list").queryAs(ListView.class).getItems().size());
        robot.clickOn("#server-restore");
        robot.clickOn("#restore-passphrase").write(PASSPHRASE);
        robot.clickOn("#restore-ok");
        waitFor(() -> label(robot, "#server-status").equals(M.get("status.restored", "branch")), "restored");
        assertEquals("branch", label(robot, "#server-name"));
        assertTrue(label(robot, "#server-summary").contains("port " + newPort), label(robot, "#server-summary"));
        waitFor(() -> topologySources().contains("branch"), "a restored server appears in the topology at once");
    }

    /**
     * Issue 12: the Edit dialog's Clients step shows the keepalive and the DNS servers pushed to clients; saving new
     * ones writes them to server.conf, restarts the running server, and they are there when the dialog opens again.
     */
    @Test
    void editTheKeepaliveAndTheDnsServersPushedToClients(FxRobot robot) throws Exception {
        robot.clickOn("#nav-servers");
        int port = FreePorts.udp();
        ServerManagerViewModel vm = app.feature(ServerManagerFeature.class).viewModel();
        robot.interact(() -> vm.create(ServerSpec.builder("office", "127.0.0.1").port(port).bindAddress("127.0.0.1")
                .build()));
        waitFor(() -> "office".equals(label(robot, "#server-name")), "the new server is selected");
        robot.clickOn("#server-start");
        waitFor(() -> label(robot, "#server-state").equals(M.get("server.state.running", "127.0.0.1:" + port + "/udp")), "it runs");
        assertTrue(label(robot, "#server-summary").endsWith(M.get("server.keepalive", 10, 60)), label(robot, "#server-summary"));

        robot.clickOn("#server-edit");
        robot.clickOn("#wizard-next").clickOn("#wizard-next").clickOn("#wizard-next");
        assertEquals(M.get("wizard.step", 4, ServerWizardViewModel.STEPS, M.get("wizard.step3")), label(robot, "#wizard-step"));
        assertEquals("10", text(robot, "#wizard-keepalive-ping"));
        assertEquals("60", text(robot, "#wizard-keepalive-timeout"));
        assertEquals("", text(robot, "#wizard-dns"));
        java.util.Set<String> shown = robot.lookup(".label").queryAllAs(Label.class).stream().filter(Label::isVisible)
                .map(Label::getText).collect(java.util.stream.Collectors.toSet());
        for (String key : java.util.List.of("wizard.keepalivePing", "wizard.keepaliveTimeout", "wizard.keepalive.help", "wizard.dns",
                "wizard.dns.help")) {
            assertTrue(shown.contains(M.get(key)), key + " is shown: " + shown);
        }

        robot.clickOn("#wizard-keepalive-timeout");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("15");
        waitFor(() -> label(robot, "#wizard-problems").equals(M.get("wizard.error.keepalive")), "a timeout under twice the ping is refused");
        assertTrue(robot.lookup("#wizard-create").queryButton().isDisabled());
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("40");
        robot.clickOn("#wizard-keepalive-ping");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("5");
        robot.clickOn("#wizard-dns").write("10.8.0.53, 2001:db8::53");
        waitFor(() -> label(robot, "#wizard-problems").isEmpty(), "no problems");
        robot.clickOn("#wizard-create");
        String edited = M.get("status.editedRestarted", "office") + " " + M.get("status.pushedReconnect") + " "
                + M.get("status.noReimport");
        waitFor(() -> label(robot, "#server-status").equals(edited), "the status says it restarted and what clients get");
        waitFor(() -> label(robot, "#server-state").equals(M.get("server.state.running", "127.0.0.1:" + port + "/udp")),
                "it runs again");
        assertTrue(label(robot, "#server-summary").endsWith(M.get("server.keepalive", 5, 40) + " \u00b7 "
                + M.get("server.dns", "10.8.0.53, 2001:db8::53")), label(robot, "#server-summary"));
        String conf = Files.readString(dir.resolve("servers/office/server.conf"));
        assertTrue(conf.contains("keepalive 5 40\npush \"dhcp-option DNS 10.8.0.53\"\npush \"dhcp-option DNS6 2001:db8::53\"\n"),
                conf);

        robot.clickOn("#server-edit");
        robot.clickOn("#wizard-next").clickOn("#wizard-next").clickOn("#wizard-next");
        assertEquals("5", text(robot, "#wizard-keepalive-ping"), "the saved values survive reopening");
        assertEquals("40", text(robot, "#wizard-keepalive-timeout"));
        assertEquals("10.8.0.53, 2001:db8::53", text(robot, "#wizard-dns"));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryTextInputControl().getText();
    }

    private java.util.List<String> topologySources() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> app.feature(TopologyFeature.class).sources().stream().map(TopologySource::name).toList())
                .get();
    }

    private String topologySelected() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            TopologySource s = app.feature(TopologyFeature.class).viewModel().sourceProperty().get();
            return s == null ? null : s.name();
        }).get();
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
