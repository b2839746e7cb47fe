package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
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
 * Drives the server manager's real UI against the real engine: in-memory devices, real sockets on 127.0.0.1.
 * Creates a server with the wizard, starts it, issues clients, exports their profiles, connects Culvert clients
 * with them, sees them in the connected table, kicks one and revokes another; renders the screenshot.
 */
@ExtendWith(ApplicationExtension.class)
class ServerManagerUiTest {
    private static final Messages M = Messages.of("server");
    @TempDir
    Path dir;
    private final List<InMemoryTun> devices = new CopyOnWriteArrayList<>();
    private final List<ClientHandle> clients = new ArrayList<>();
    private LocalEngine engine;
    private AppContext context;
    private ExecutorService background;
    private Stage stage;

    @Start
    void start(Stage s) {
        stage = s;
        engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system(), devices::add);
        background = Executors.newVirtualThreadPerTaskExecutor();
        context = new AppContext(engine, dir, background,
                io.culvert.engine.profiles.LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system()),
                LocalServerAdmin.open(engine, dir, InstantSource.system()));
        new CulvertApp().start(s, context);
    }

    @AfterEach
    void stop() throws Exception {
        for (ClientHandle c : clients) {
            c.disconnect();
            c.awaitStopped(5000);
        }
        context.servers().close();
        background.shutdownNow();
    }

    @Test
    void createServerIssueClientsSeeThemConnectedKickAndRevoke(FxRobot robot) throws Exception {
        robot.clickOn("#nav-servers");
        createServerWithTheWizard(robot, FreePorts.udp());
        waitFor(() -> "office".equals(label(robot, "#server-name")), "the new server is selected");
        assertTrue(label(robot, "#server-summary").contains("UDP/tun"), label(robot, "#server-summary"));

        robot.clickOn("#server-start");
        waitFor(() -> label(robot, "#server-state").contains("127.0.0.1:"), "the server runs");

        robot.clickOn("#tab-clients");
        String alice = issueAndCopyProfile(robot, "alice", 0);
        robot.clickOn("#client-network");
        robot.clickOn("#network-address").write("10.8.0.50");
        robot.clickOn("#network-iroutes").write("192.168.50.0/24");
        robot.clickOn("#network-ok");
        waitFor(() -> label(robot, "#server-status").equals(M.get("status.networkSaved", "alice")), "static address saved");
        String bob = issueAndCopyProfile(robot, "bob", 1);
        assertTrue(alice.contains("remote 127.0.0.1 ") && alice.contains("<cert>") && alice.contains("<tls-crypt>"));

        InMemoryTun aliceDevice = connect(alice);
        InMemoryTun bobDevice = connect(bob);
        robot.clickOn("#tab-connected");
        TableView<InstanceRow> connected = robot.lookup("#connected-table").queryTableView();
        waitFor(() -> connected.getItems().size() == 2, "both clients in the connected table");
        assertEquals(List.of("alice", "bob"), connected.getItems().stream().map(InstanceRow::commonName).sorted().toList());
        InstanceRow aliceRow = connected.getItems().stream().filter(r -> r.commonName().equals("alice")).findFirst().orElseThrow();
        assertEquals("10.8.0.50, 192.168.50.0/24", aliceRow.virtualAddressesProperty().get(), "static address and iroute from the dialog");

        sendTraffic(aliceDevice, devices.getFirst(), clients.get(0), 400);
        sendTraffic(bobDevice, devices.getFirst(), clients.get(1), 150);
        waitFor(() -> connected.getItems().stream().allMatch(r -> r.rateInProperty().get() > 0 && r.rateOutProperty().get() > 0),
                "live rates both ways");
        Path shot = Screenshots.save(stage.getScene(), "server-manager.png");
        assertTrue(Files.size(shot) > 10_000, "screenshot written to " + shot);

        robot.interact(() -> connected.getSelectionModel().select(aliceRow));
        robot.clickOn("#connected-kick");
        waitFor(() -> !connected.getItems().contains(aliceRow), "kick removes the instance");
        // the next poll may drop the row before the kick's own answer comes back with the status
        waitFor(() -> M.get("status.kicked", "alice").equals(label(robot, "#server-status")), "the status says who was kicked");

        robot.clickOn("#tab-clients");
        TableView<ClientCertificate> certs = robot.lookup("#clients-table").queryTableView();
        robot.interact(() -> certs.getSelectionModel().select(1));
        // Revoke: Cancel is the default button, so Enter keeps bob's certificate; Revoke revokes it.
        robot.clickOn("#client-revoke");
        assertTrue(robot.lookup("#revoke-cancel").queryButton().isDefaultButton(), "Cancel is the default");
        assertFalse(robot.lookup("#revoke-confirm").queryButton().isDefaultButton(), "Revoke is not the default");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#revoke-confirm").tryQuery().isEmpty(), "Enter closed the confirmation");
        assertFalse(certs.getItems().get(1).revoked(), "Enter cancelled: bob is not revoked");
        robot.clickOn("#client-revoke");
        robot.clickOn("#revoke-confirm");
        waitFor(() -> certs.getItems().size() == 2 && certs.getItems().get(1).revoked(), "bob is marked revoked");
        robot.clickOn("#tab-connected");
        waitFor(() -> connected.getItems().stream().noneMatch(r -> r.commonName().equals("bob")), "revoked bob is disconnected");
        Thread.sleep(2500);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(connected.getItems().stream().noneMatch(r -> r.commonName().equals("bob")), "and does not come back");

        robot.clickOn("#server-stop");
        waitFor(() -> label(robot, "#server-state").equals(M.get("server.state.stopped")), "the server stops");
        robot.clickOn("#tab-log");
        assertTrue(robot.lookup("#server-log").queryListView().getItems().stream().anyMatch(l -> l.toString().contains("bob connected")));
    }

    private void createServerWithTheWizard(FxRobot robot, int port) {
        robot.clickOn("#server-new");
        robot.clickOn("#wizard-name").write("office");
        robot.clickOn("#wizard-publicHost").write("127.0.0.1");
        robot.clickOn("#wizard-next");
        robot.clickOn("#wizard-device-TUN");
        robot.clickOn("#wizard-topology-SUBNET");
        robot.clickOn("#wizard-next");
        robot.clickOn("#wizard-port");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write(Integer.toString(port));
        robot.clickOn("#wizard-proto-UDP");
        robot.clickOn("#wizard-bind").write("127.0.0.1");
        robot.clickOn("#wizard-c2c");
        robot.clickOn("#wizard-next");
        robot.clickOn("#wizard-create");
    }

    private String issueAndCopyProfile(FxRobot robot, String name, int row) throws Exception {
        robot.clickOn("#client-name").write(name);
        robot.clickOn("#client-issue");
        TableView<ClientCertificate> certs = robot.lookup("#clients-table").queryTableView();
        waitFor(() -> certs.getItems().size() == row + 1, name + " in the client list");
        robot.interact(() -> certs.getSelectionModel().select(row));
        robot.interact(() -> Clipboard.getSystemClipboard().clear());
        robot.clickOn("#client-copy");
        String[] text = new String[1];
        waitFor(() -> {
            text[0] = WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get();
            return text[0] != null && text[0].contains("'" + name + "'");
        }, "the profile of " + name + " on the clipboard");
        return text[0];
    }

    private InMemoryTun connect(String profile) throws Exception {
        int before = devices.size();
        ClientHandle c = engine.startClient(profile, dir, e -> { }, p -> Optional.empty());
        clients.add(c);
        waitFor(() -> c.connectionInfo() != null && devices.size() > before, "client connects");
        return devices.get(before);
    }

    /** UDP datagrams between the client's tunnel address and the server's, both ways, so the counters move. */
    private static void sendTraffic(InMemoryTun device, InMemoryTun serverDevice, ClientHandle client, int packets) {
        String ip = client.connectionInfo().ipv4().split("/")[0];
        Thread.ofVirtual().start(() -> {
            for (int i = 0; i < packets; i++) {
                device.inject(Packets.udp(ip, "10.8.0.1", 1200));
                serverDevice.inject(Packets.udp("10.8.0.1", ip, 400 + i % 800));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
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
