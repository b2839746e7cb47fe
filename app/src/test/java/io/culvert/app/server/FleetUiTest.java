package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.topology.TopologyFeature;
import io.culvert.app.topology.TopologyModel;
import io.culvert.app.topology.TopologySource;
import io.culvert.app.topology.TopologyViewAccess;
import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.local.LocalDemoEngine;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.fleetadmin.LocalFleets;
import io.culvert.engine.profiles.LocalProfiles;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.FleetFlow;
import io.culvert.engine.store.FleetRemoteFlow;
import io.culvert.engine.store.FleetInstance;
import io.culvert.engine.store.FleetRepository;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
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
 * Issue 15: the server manager opened on a fleet on a real PostgreSQL ({@link PostgresServer}), two servers'
 * registrations, pools and live reports written through {@link FleetRepository} as the servers would write them. The
 * fleet pane shows both servers with their health; a certificate issued, exported (every server a remote) and
 * revoked there lands in the database; the topology shows both servers as hubs with their clients, and its server
 * filter shows one. Asserts what is on screen: table cells, labels and the canvas's tooltips.
 */
@ExtendWith(ApplicationExtension.class)
class FleetUiTest {
    @TempDir
    Path dir;
    private ExecutorService background;
    private Store servers;
    private String url;
    private String password;
    private Stage stage;
    private AppContext context;
    private CulvertApp app;

    @Start
    void start(Stage s) {
        stage = s;
    }

    /** The database and the app, off the FX thread (starting PostgreSQL takes longer than TestFX waits for a start). */
    private void startAppOnAFleet(FxRobot robot) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        url = pg.freshDatabase();
        password = Files.readAllLines(pg.rolePasswordFile()).getFirst().strip();
        background = Executors.newVirtualThreadPerTaskExecutor();
        LocalProfiles profiles = LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system());
        // The admin's clock stands still, so the health it reads from the heartbeats' age holds however slow the machine.
        Instant now = Instant.now();
        context = new AppContext(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()), dir, background, profiles, null,
                new LocalDemoEngine(InstantSource.system()), LocalFleets.open(dir, profiles.settings(), false, InstantSource.fixed(now)));
        // The two servers, as `culvert server --fleet` writes them: registration and heartbeat, pools, live state.
        servers = Store.open(url, DatabaseLogin.fromFile(PostgresServer.ROLE, pg.rolePasswordFile()), InstantSource.system());
        FleetRepository fleet = servers.fleet();
        fleet.heartbeat("vpn-berlin.example.net", now);
        fleet.heartbeat("vpn-lisbon.example.net", now.minusSeconds(40));
        fleet.claimPool("vpn-berlin.example.net", "10.8.0.0/24");
        fleet.claimPool("vpn-lisbon.example.net", "10.9.0.0/24");
        fleet.registerRemotes("vpn-berlin.example.net", List.of(new FleetRemote("192.0.2.10", 1194, "udp"),
                new FleetRemote("vpn-berlin.example.net", 443, "tcp")));
        fleet.registerRemotes("vpn-lisbon.example.net", List.of(new FleetRemote("2001:db8::9", 1195, "udp")));
        fleet.report("vpn-berlin.example.net", now, List.of(
                new FleetInstance("vpn-berlin.example.net", 0, "alice", "198.51.100.7:51000", List.of("10.8.0.2"), now, 5000, 7000),
                new FleetInstance("vpn-berlin.example.net", 1, "bob", "198.51.100.8:51001", List.of("10.8.0.3"), now, 3000, 2000)),
                List.of(new FleetFlow("vpn-berlin.example.net", 0, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 10, 5000),
                        new FleetFlow("vpn-berlin.example.net", 0, 1, FlowEdge.Kind.CLIENT_TO_CLIENT, 4, 1200)),
                List.of(new FleetRemoteFlow("vpn-berlin.example.net", 0, "10.9.0.2", 6, 504))); // alice → carol on lisbon
        fleet.report("vpn-lisbon.example.net", now, List.of(
                new FleetInstance("vpn-lisbon.example.net", 0, "carol", "203.0.113.9:40000", List.of("10.9.0.2"), now, 900, 800)),
                List.of(new FleetFlow("vpn-lisbon.example.net", FlowEdge.SERVER, 0, FlowEdge.Kind.UNICAST_VIA_SERVER, 3, 800)));
        app = new CulvertApp();
        robot.interact(() -> app.start(stage, context));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        robot.moveTo(stage.getX() + 2, stage.getY() + 2); // off the canvas: its tooltip goes
        robot.interact(() -> {
            for (Window w : List.copyOf(Window.getWindows())) {
                if (w != stage) {
                    w.hide();
                }
            }
            if (app != null) {
                app.stop(); // closes the fleet's connection, the topology's poller, the background executor
            }
        });
        if (servers != null) {
            servers.close();
        }
        if (background != null) {
            background.shutdownNow();
        }
    }

    @Test
    void bothServersWithTheirHealthIssueExportRevokeAndBothHubsInTheTopology(FxRobot robot) throws Exception {
        startAppOnAFleet(robot);
        robot.clickOn("#nav-servers");
        robot.clickOn("#fleet-open");
        await(() -> robot.lookup("#fleet-url").tryQuery().isPresent(), "the open dialog");
        robot.interact(() -> {
            robot.lookup("#fleet-url").queryTextInputControl().setText(url);
            robot.lookup("#fleet-user").queryTextInputControl().setText(PostgresServer.ROLE);
            robot.lookup("#fleet-password").queryTextInputControl().setText(password);
        });
        robot.clickOn("#fleet-ok");
        TableView<?> table = robot.lookup("#fleet-servers").queryTableView();
        await(() -> table.getItems().size() == 2, "both servers listed");
        await(() -> cells(robot, "#fleet-servers").contains("vpn-lisbon.example.net"), "the rows drawn");
        List<String> cells = cells(robot, "#fleet-servers");
        assertTrue(cells.containsAll(List.of("vpn-berlin.example.net", "healthy", "2", "10.8.0.0/24")), cells.toString());
        assertTrue(cells.containsAll(List.of("vpn-lisbon.example.net", "1", "10.9.0.0/24")), cells.toString());
        assertTrue(cells.containsAll(List.of("192.0.2.10 1194 udp, vpn-berlin.example.net 443 tcp", "2001:db8::9 1195 udp")),
                cells.toString());
        List<String> headers = fx(() -> robot.lookup("#fleet-servers").query().lookupAll(".column-header .label").stream()
                .map(n -> ((javafx.scene.control.Label) n).getText()).toList());
        assertTrue(headers.contains("Clients dial"), headers.toString());
        assertTrue(cells.stream().anyMatch(c -> c.equals("late (last heartbeat 40 s ago)")), cells.toString());
        assertEquals("2 servers: 1 healthy, 1 late, 0 down \u00b7 3 clients connected", text(robot, "#fleet-summary"));
        assertTrue(text(robot, "#fleet-show").contains("127.0.0.1"), text(robot, "#fleet-show"));

        // Issue once for the whole fleet, export with both servers as remotes, revoke once.
        robot.clickOn("#tab-fleet-clients");
        robot.clickOn("#fleet-client-name").write("dave");
        robot.clickOn("#fleet-client-issue");
        TableView<?> certs = robot.lookup("#fleet-clients").queryTableView();
        await(() -> certs.getItems().size() == 1, "the issued certificate");
        await(() -> cells(robot, "#fleet-clients").contains("dave"), "the issued certificate on screen");
        assertEquals(1, servers.fleet().issued().size(), "recorded for the fleet");
        assertTrue(servers.fleet().ca().isPresent(), "the fleet CA's certificate is published");
        Path profile = dir.resolve("dave.ovpn");
        ServerManagerFeature feature = (ServerManagerFeature) robot.lookup("#nav-servers").queryAs(ToggleButton.class).getUserData();
        robot.interact(() -> feature.filePicker(new FilePicker() {
            @Override
            public Path open(Window owner, String title, javafx.stage.FileChooser.ExtensionFilter filter) {
                return null;
            }

            @Override
            public Path save(Window owner, String title, String initialName, javafx.stage.FileChooser.ExtensionFilter filter) {
                return profile;
            }
        }));
        robot.interact(() -> certs.getSelectionModel().select(0));
        robot.clickOn("#fleet-client-save");
        await(() -> Files.exists(profile) && Files.size(profile) > 0, "the saved profile");
        String ovpn = Files.readString(profile);
        assertTrue(ovpn.contains("remote 192.0.2.10 1194 udp\nremote vpn-berlin.example.net 443 tcp\nremote 2001:db8::9 1195 udp\n"),
                ovpn);
        robot.clickOn("#fleet-client-revoke");
        await(() -> robot.lookup("#fleet-revoke-confirm").tryQuery().isPresent(), "the revoke confirmation");
        robot.clickOn("#fleet-revoke-confirm");
        await(() -> servers.fleet().revocations().size() == 1, "the revocation in the database");
        BigInteger serial = servers.fleet().issued().getFirst().serial();
        assertEquals(serial, servers.fleet().revocations().getFirst().serial());
        await(() -> text(robot, "#server-status").contains("Revoked dave for the whole fleet"), "the status line");

        // The topology: both servers as hubs with their clients, then the filter on one.
        robot.clickOn("#nav-topology");
        TopologyFeature topology = (TopologyFeature) robot.lookup("#nav-topology").queryAs(ToggleButton.class).getUserData();
        await(() -> topology.sources().size() == 3, "all servers and one source per server");
        choose(robot, "Fleet \u00b7 all servers");
        TopologyModel model = topology.viewModel().model();
        await(() -> model.presentCount() == 3 && model.hubs().size() == 2, "two hubs, three clients");
        await(() -> text(robot, "#topology-status").startsWith("3 connected"), "the status");
        assertStarts("Fleet server vpn-berlin.example.net\n2 clients \u00b7 healthy", hoverHub(robot, topology, 0));
        assertStarts("Fleet server vpn-lisbon.example.net\n1 client \u00b7 late", hoverHub(robot, topology, 1));
        String carol = hoverNode(robot, topology, "carol");
        assertTrue(carol.startsWith("carol\nVPN address: 10.9.0.2") && carol.contains("On server vpn-lisbon.example.net"), carol);
        assertTrue(hoverNode(robot, topology, "alice").contains("On server vpn-berlin.example.net"));
        // each client hangs on its own server's hub
        double berlin = fx(() -> model.hubs().get(0).x());
        double lisbon = fx(() -> model.hubs().get(1).x());
        assertTrue(fx(() -> model.nodes().stream().filter(n -> !n.info().commonName().equals("carol")).allMatch(n -> n.hubX() == berlin)
                && model.nodes().stream().filter(n -> n.info().commonName().equals("carol")).allMatch(n -> n.hubX() == lisbon)));
        // alice on berlin talks to carol on lisbon (ADR 0056): an edge between the two clients, drawn once it carries traffic
        int aliceId = fx(() -> peerOf(model, "alice"));
        int carolId = fx(() -> peerOf(model, "carol"));
        await(() -> model.rates().stream().anyMatch(r -> r.source() == aliceId && r.destination() == carolId
                && r.kind() == FlowEdge.Kind.UNICAST_VIA_SERVER), "the edge between alice and carol");
        servers.fleet().report("vpn-berlin.example.net", Instant.now(), servers.fleet().instances().stream()
                .filter(i -> i.server().equals("vpn-berlin.example.net")).toList(), servers.fleet().flows().stream()
                .filter(f -> f.server().equals("vpn-berlin.example.net")).toList(),
                List.of(new FleetRemoteFlow("vpn-berlin.example.net", 0, "10.9.0.2", 600, 50_400)));
        await(() -> model.betweenServers().stream().anyMatch(r -> r.source() == aliceId && r.destination() == carolId
                && r.bytesPerSecond() > 0), "traffic on the edge between alice and carol");

        choose(robot, "Fleet \u00b7 vpn-lisbon.example.net");
        await(() -> model.presentCount() == 1 && model.hubs().size() == 1, "the filter: one server");
        await(() -> text(robot, "#topology-status").startsWith("1 connected"), "the status");
        assertStarts("Fleet server vpn-lisbon.example.net\n1 client \u00b7 late", hoverHub(robot, topology, 0));
        assertEquals(Set.of("carol"), fx(() -> model.nodes().stream().map(n -> n.info().commonName()).collect(Collectors.toSet())));
        assertTrue(fx(() -> model.rates().stream().noneMatch(r -> r.source() != FlowEdge.SERVER && r.destination() != FlowEdge.SERVER)),
                "the filter leaves out the edge to berlin's alice");
    }

    private static int peerOf(TopologyModel model, String cn) {
        return model.nodes().stream().filter(n -> n.info().commonName().equals(cn)).findFirst().orElseThrow().peerId();
    }

    private void choose(FxRobot robot, String source) throws Exception {
        ComboBox<TopologySource> box = robot.lookup("#topology-source").queryComboBox();
        robot.interact(() -> box.getSelectionModel().select(box.getItems().stream().filter(s -> s.name().equals(source)).findFirst()
                .orElseThrow()));
        assertEquals(source, fx(() -> box.getButtonCell().getText()));
    }

    /** Moves the mouse onto hub {@code index} and returns the tooltip the canvas shows. */
    private String hoverHub(FxRobot robot, TopologyFeature topology, int index) throws Exception {
        TopologyModel.Hub hub = fx(() -> topology.viewModel().model().hubs().get(index));
        return hover(robot, topology, hub.x(), hub.y());
    }

    private String hoverNode(FxRobot robot, TopologyFeature topology, String cn) throws Exception {
        double[] p = fx(() -> topology.viewModel().model().nodes().stream().filter(n -> n.info().commonName().equals(cn))
                .map(n -> new double[] {n.x(), n.y()}).findFirst().orElseThrow());
        return hover(robot, topology, p[0], p[1]);
    }

    private String hover(FxRobot robot, TopologyFeature topology, double x, double y) throws Exception {
        Node canvas = fx(() -> topology.view().lookup("#topology-canvas"));
        Point2D at = fx(() -> canvas.localToScreen(TopologyViewAccess.screen(canvas, x, y)));
        robot.moveTo(at);
        Tooltip[] tip = new Tooltip[1];
        await(() -> {
            tip[0] = Window.getWindows().stream().filter(w -> w instanceof Tooltip t && t.isShowing()).map(Tooltip.class::cast)
                    .findFirst().orElse(null);
            return tip[0] != null && !tip[0].getText().isEmpty();
        }, "a tooltip");
        return fx(() -> tip[0].getText());
    }

    private static void assertStarts(String expected, String actual) {
        assertTrue(actual.startsWith(expected), "expected <" + expected + "...> but was <" + actual + ">");
    }

    private static List<String> cells(FxRobot robot, String table) throws Exception {
        return fx(() -> robot.lookup(table).query().lookupAll(".table-cell").stream().map(n -> ((TableCell<?, ?>) n).getText())
                .filter(t -> t != null && !t.isEmpty()).toList());
    }

    private static String text(FxRobot robot, String id) throws Exception {
        return fx(() -> {
            Node n = robot.lookup(id).query();
            return n instanceof Label l ? l.getText() : ((javafx.scene.control.Labeled) n).getText();
        });
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!fx(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not reached within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
