package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.Messages;
import io.culvert.app.common.Theme;
import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 12: nothing is cut. Walks every face and tab of the real app, and every dialog and wizard step, disconnected
 * and connected (a real loopback server for the client, a server created with the wizard with a client connected,
 * the demo network in the topology view), light and dark, from 1024×640 to a 4K screen at 100 %, 150 % and 200 %
 * ({@link #SCREENS}), in English and in the pseudo-locale (every string 40 % longer, {@link Messages#PSEUDO}); fails on any label or button whose text is cut
 * without a tooltip, any control clipped by its parent or its window, and any dialog off the screen or not centred
 * on its window ({@link LayoutFit}).
 */
@ExtendWith(ApplicationExtension.class)
class LayoutFitTest {
    /**
     * The window's size in logical pixels and the desktop's scale. At 100 %: the default size, a large screen, the
     * smallest size the app supports (issue 12: "from 1024×640") and a 4K screen filled. At 150 % and 200 %: the
     * default window, and a 4K screen filled (2560×1440 and 1920×1080 logical). The scale is the windows' render
     * scale, as a desktop at that scale sets it (JavaFX lays out in logical pixels and snaps to device pixels:
     * 0.67 px at 150 %, 0.5 px at 200 %); headless Monocle's screen is always 100 %, so the test sets it.
     */
    private record Screen(int width, int height, double scale) {
        @Override
        public String toString() {
            return (width > 0 ? "@" + width + "x" + height + " " : "@") + Math.round(scale * 100) + "%";
        }
    }

    private static final List<Screen> SCREENS = List.of(new Screen(1100, 720, 1), new Screen(1920, 1080, 1),
            new Screen(1024, 640, 1), new Screen(3840, 2160, 1), new Screen(1100, 720, 1.5), new Screen(2560, 1440, 1.5),
            new Screen(1100, 720, 2), new Screen(1920, 1080, 2));
    /** Dialogs size themselves: only the scale changes. */
    private static final List<Screen> SCALES = List.of(new Screen(0, 0, 1), new Screen(0, 0, 1.5), new Screen(0, 0, 2));
    /** Every window's render scale is bound to this (the desktop's scale). */
    private final DoubleProperty scale = new SimpleDoubleProperty(1);
    private final ListChangeListener<Window> scaled = c -> {
        while (c.next()) {
            for (Window w : c.getAddedSubList()) {
                bindScale(w);
            }
        }
    };
    private Theme theme = Theme.LIGHT;
    private long checkNanos;
    private long themeNanos;
    private int checks;
    private final List<InMemoryTun> devices = new CopyOnWriteArrayList<>();
    private final List<ClientHandle> clients = new ArrayList<>();
    private final Set<String> problems = new LinkedHashSet<>();
    private Stage stage;
    private Path dir;
    private AppContext ctx;
    private LocalEngine engine;
    private LoopbackServer server;
    private CulvertApp app;
    private Locale before;

    @Start
    void start(Stage s) {
        stage = s;
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        // What was found so far, also when a step timed out (target/layout-problems-<locale>.txt).
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "layout-problems-" + Locale.getDefault().toLanguageTag() + ".txt"), problems);
        System.out.printf("LayoutFitTest %s: %d checks took %d ms, theme switches %d ms%n", Locale.getDefault().toLanguageTag(), checks,
                checkNanos / 1_000_000, themeNanos / 1_000_000);
        robot.interact(() -> {
            Window.getWindows().removeListener(scaled);
            // The stage outlives this test instance: its scale must not stay bound to this instance's property.
            for (Window w : Window.getWindows()) {
                w.renderScaleXProperty().unbind();
                w.renderScaleYProperty().unbind();
            }
        });
        for (ClientHandle c : clients) {
            c.disconnect();
            c.awaitStopped(5000);
        }
        if (app != null) {
            robot.interact(() -> {
                for (Window w : List.copyOf(Window.getWindows())) {
                    if (w != stage && w instanceof Stage st) {
                        st.close();
                    }
                }
                app.stop();
            });
        }
        if (server != null) {
            server.close();
        }
        if (ctx != null && ctx.servers() != null) {
            ctx.servers().close();
        }
        if (before != null) {
            Locale.setDefault(before);
        }
        robot.interact(Theme.LIGHT::apply);
    }

    @Test
    void nothingIsCutInEnglish(FxRobot robot) throws Exception {
        walkTheApp(robot, Locale.ENGLISH);
    }

    @Test
    void nothingIsCutWithStringsFortyPercentLonger(FxRobot robot) throws Exception {
        walkTheApp(robot, Messages.PSEUDO);
    }

    private void walkTheApp(FxRobot robot, Locale locale) throws Exception {
        before = Locale.getDefault();
        Locale.setDefault(locale);
        dir = Files.createTempDirectory("culvert-layout");
        engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system(), devices::add);
        LocalProfiles store = LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system());
        ctx = new AppContext(engine, dir, Executors.newVirtualThreadPerTaskExecutor(), store,
                LocalServerAdmin.open(engine, dir.resolve("servers"), InstantSource.system()),
                new io.culvert.engine.local.LocalDemoEngine(InstantSource.system()),
                io.culvert.engine.fleetadmin.LocalFleets.open(dir, store.settings(), false, InstantSource.system()));
        String fleetUrl = fleetWithTwoServers();
        server = LoopbackServer.start(engine, dir.resolve("loopback"));
        app = new CulvertApp();
        robot.interact(() -> {
            Window.getWindows().addListener(scaled);
            Window.getWindows().forEach(this::bindScale);
            app.start(stage, ctx);
            stage.setX(0);
            stage.setY(0);
        });

        // The client face with no profile, then the import reports (a stored profile, a refused one).
        faces(robot, "empty");
        importAndCheck(robot, server.writeProfile("office-headquarters.ovpn", "udp", "data-ciphers AES-256-GCM\n"), "import report");
        importAndCheck(robot, server.writeProfile("refused.ovpn", "udp", "frobnicate yes\n"), "refused import report");
        importAndCheck(robot, server.writeProfile("login.ovpn", "udp", "auth-user-pass\n"), "import report (login)");

        // The sign-in dialog, then the client's own dialogs.
        select(robot, "login");
        robot.clickOn("#connect");
        await("sign-in dialog", () -> robot.lookup("#login-dialog").tryQuery().isPresent());
        dialog(robot, "sign-in dialog");
        robot.clickOn(robot.lookup("#login-dialog").queryAs(DialogPane.class).lookupButton(ButtonType.CANCEL));
        await("idle after cancel", () -> "Not connected".equals(plain(robot, "#state")) || !plain(robot, "#state").isEmpty());
        // A refused connection: the failure banner on the client face, and its details dialog.
        importAndCheck(robot, server.writeProfile("refused-tcp.ovpn", "tcp-client", "connect-retry-max 1\nconnect-retry 1\n"),
                "import report (tcp)");
        select(robot, "refused-tcp");
        robot.clickOn("#connect");
        await("the refused connection", () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#error").query().isVisible()).get());
        clientFace(robot, "failed");
        robot.clickOn("#error-details");
        await("error details", () -> robot.lookup("#error-detail-text").tryQuery().isPresent());
        dialog(robot, "error details dialog");
        robot.interact(() -> robot.lookup("#error-dialog").query().getScene().getWindow().hide());

        select(robot, "office-headquarters");
        robot.clickOn("#rename");
        dialog(robot, "rename dialog");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        robot.clickOn("#delete");
        dialog(robot, "delete dialog");
        // Cancel is the default button: Enter closes the confirmation and the profile stays.
        assertTrue(robot.lookup("#delete-cancel").queryButton().isDefaultButton(), "Cancel is the default");
        assertFalse(robot.lookup("#delete-confirm").queryButton().isDefaultButton(), "Delete is not the default");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#delete-confirm").tryQuery().isEmpty(), "Enter closed the confirmation");
        var profiles = robot.lookup("#profiles").queryListView();
        assertTrue(profiles.getItems().stream()
                .anyMatch(p -> ((io.culvert.engine.api.ProfileSummary) p).name().equals("office-headquarters")),
                "Enter kept the profile");

        // The server manager: every wizard step, then a running server with a client and its dialogs.
        robot.clickOn("#nav-servers");
        robot.clickOn("#server-new");
        dialog(robot, "wizard step 1");
        fill(robot, "#wizard-name", "office");
        fill(robot, "#wizard-publicHost", "127.0.0.1");
        robot.clickOn("#wizard-next");
        dialog(robot, "wizard step 2");
        robot.clickOn("#wizard-device-TUN");
        robot.clickOn("#wizard-topology-SUBNET");
        robot.clickOn("#wizard-next");
        dialog(robot, "wizard step 3");
        fill(robot, "#wizard-port", Integer.toString(FreePorts.udp()));
        robot.clickOn("#wizard-proto-UDP");
        fill(robot, "#wizard-bind", "127.0.0.1");
        robot.clickOn("#wizard-c2c");
        robot.clickOn("#wizard-next");
        dialog(robot, "wizard step 4");
        fill(robot, "#wizard-dns", "10.8.0.1");
        robot.clickOn("#wizard-next");
        robot.clickOn("#wizard-gateway");
        dialog(robot, "wizard step 5");
        robot.clickOn("#wizard-gateway");
        robot.clickOn("#wizard-next");
        dialog(robot, "wizard step 6");
        robot.clickOn("#wizard-create");
        await("the new server", () -> "office".equals(plain(robot, "#server-name")));
        faces(robot, "disconnected");

        robot.clickOn("#nav-servers");
        robot.clickOn("#server-start");
        await("the server runs", () -> plain(robot, "#server-state").contains("127.0.0.1:"));
        robot.clickOn("#tab-clients");
        fill(robot, "#client-name", "laptop-of-alexandra-montgomery");
        robot.clickOn("#client-issue");
        TableView<?> certs = robot.lookup("#clients-table").queryTableView();
        await("the issued client", () -> certs.getItems().size() == 1);
        robot.interact(() -> certs.getSelectionModel().select(0));
        robot.clickOn("#client-network");
        await("client network dialog", () -> robot.lookup("#network-address").tryQuery().isPresent());
        dialog(robot, "client network dialog");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        robot.clickOn("#client-revoke");
        dialog(robot, "revoke dialog");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        // The server's own dialogs: edit (the wizard's form, filled), rename, back up, delete, restore.
        var servers = (io.culvert.app.server.ServerManagerFeature) robot.lookup("#nav-servers")
                .queryAs(javafx.scene.control.ToggleButton.class).getUserData();
        Path backupFile = dir.resolve("office.culvert-backup");
        servers.filePicker(new io.culvert.app.server.FilePicker() {
            @Override
            public Path open(Window owner, String title, javafx.stage.FileChooser.ExtensionFilter filter) {
                return backupFile;
            }

            @Override
            public Path save(Window owner, String title, String initialName, javafx.stage.FileChooser.ExtensionFilter filter) {
                return null;
            }
        });
        for (String[] d : new String[][] {{"#server-edit", "edit dialog"}, {"#server-rename", "server rename dialog"},
                {"#server-backup", "backup dialog"}, {"#server-delete", "server delete dialog"}, {"#server-restore", "restore dialog"}}) {
            robot.clickOn(d[0]);
            dialog(robot, d[1]);
            robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
            WaitForAsyncUtils.waitForFxEvents();
        }

        // The fleet (issue 15): the open dialog, the fleet's tabs, and its servers as hubs in the topology.
        robot.clickOn("#fleet-open");
        dialog(robot, "fleet dialog");
        robot.interact(() -> {
            robot.lookup("#fleet-url").queryTextInputControl().setText(fleetUrl);
            robot.lookup("#fleet-user").queryTextInputControl().setText(PostgresServer.ROLE);
            robot.lookup("#fleet-password").queryTextInputControl().setText(fleetPassword);
        });
        robot.clickOn("#fleet-ok");
        TableView<?> fleetServers = robot.lookup("#fleet-servers").queryTableView();
        await("the fleet's servers", () -> fleetServers.getItems().size() == 2);
        robot.clickOn("#tab-fleet-clients");
        fill(robot, "#fleet-client-name", "laptop-of-alexandra-montgomery");
        robot.clickOn("#fleet-client-issue");
        TableView<?> fleetClients = robot.lookup("#fleet-clients").queryTableView();
        await("the fleet's client", () -> fleetClients.getItems().size() == 1);
        robot.interact(() -> fleetClients.getSelectionModel().select(0));
        TabPane fleetTabs = robot.lookup("#fleet-tabs").queryAs(TabPane.class);
        for (int i = 0; i < fleetTabs.getTabs().size(); i++) {
            int tab = i;
            robot.interact(() -> fleetTabs.getSelectionModel().select(tab));
            check("fleet/" + fleetTabs.getTabs().get(tab).getId(), SCREENS);
        }
        robot.interact(() -> fleetTabs.getSelectionModel().select(0));
        robot.clickOn("#tab-fleet-clients");
        robot.clickOn("#fleet-client-revoke");
        dialog(robot, "fleet revoke dialog");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#nav-topology");
        var fleetTopology = (io.culvert.app.topology.TopologyFeature) robot.lookup("#nav-topology")
                .queryAs(javafx.scene.control.ToggleButton.class).getUserData();
        await("the fleet's sources", () -> fleetTopology.sources().stream().filter(x -> x.snapshots() != null).count() == 3);
        robot.interact(() -> fleetTopology.viewModel().sourceProperty().set(fleetTopology.sources().stream()
                .filter(x -> x.snapshots() != null).findFirst().orElseThrow()));
        await("the fleet's hubs", () -> fleetTopology.viewModel().model().hubs().size() == 2
                && fleetTopology.viewModel().model().presentCount() == 3);
        check("fleet topology", SCREENS);
        robot.clickOn("#nav-servers");
        robot.clickOn("#server-list"); // back to the server
        await("the server again", () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#server-name").query().isVisible()).get());

        // Connected: the server's client, the client face to the loopback server, the demo network.
        String profile = ctx.servers().exportProfile("office", "laptop-of-alexandra-montgomery");
        int devicesBefore = devices.size();
        ClientHandle laptop = engine.startClient(profile, dir, e -> { }, p -> Optional.empty());
        clients.add(laptop);
        await("the server's client connects", () -> laptop.connectionInfo() != null && devices.size() > devicesBefore);
        robot.clickOn("#nav-client");
        select(robot, "office-headquarters");
        robot.clickOn("#connect");
        await("the client connects", () -> plain(robot, "#status-cipher").contains("AES"));
        robot.clickOn("#nav-topology");
        robot.clickOn("#topology-demo");
        await("the demo network", () -> plain(robot, "#topology-status").matches("\\D*6\\D.*"));
        robot.clickOn("#nav-servers");
        robot.clickOn("#tab-connected");
        TableView<?> connected = robot.lookup("#connected-table").queryTableView();
        await("the connected table", () -> connected.getItems().size() == 1);
        Thread.sleep(2500);
        faces(robot, "connected");
        // The topology's instance panel, for one instance of the demo.
        robot.clickOn("#nav-topology");
        var topology = (io.culvert.app.topology.TopologyFeature) robot.lookup("#nav-topology")
                .queryAs(javafx.scene.control.ToggleButton.class).getUserData();
        robot.interact(() -> topology.viewModel().selectedProperty().set(
                topology.viewModel().model().nodes().iterator().next().peerId()));
        await("the instance panel", () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#topology-instance").query().isVisible()).get());
        check("connected topology/instance", SCREENS);
        robot.interact(() -> topology.viewModel().selectedProperty().set(io.culvert.app.topology.TopologyViewModel.NONE));
        if (locale.equals(Locale.ENGLISH)) {
            screenshots(robot);
        }

        assertEquals("", String.join("\n", problems), problems.size() + " layout problems");
    }

    private String fleetPassword;

    /** A fleet database on the test PostgreSQL with two servers registered, with pools and clients: its URL. */
    private String fleetWithTwoServers() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.freshDatabase();
        fleetPassword = Files.readAllLines(pg.rolePasswordFile()).getFirst().strip();
        try (io.culvert.engine.store.Store store = io.culvert.engine.store.Store.open(url,
                io.culvert.engine.store.DatabaseLogin.fromFile(PostgresServer.ROLE, pg.rolePasswordFile()),
                InstantSource.system())) {
            var fleet = store.fleet();
            java.time.Instant now = java.time.Instant.now();
            String[] names = {"vpn-frankfurt-primary.example.net", "vpn-lisbon-standby.example.net"};
            for (int s = 0; s < names.length; s++) {
                fleet.heartbeat(names[s], now.minusSeconds(40L * s));
                fleet.claimPool(names[s], "10." + (8 + s) + ".0.0/24");
                List<io.culvert.engine.store.FleetInstance> instances = new ArrayList<>();
                for (int i = 0; i <= 1 - s; i++) {
                    instances.add(new io.culvert.engine.store.FleetInstance(names[s], i, "laptop-of-alexandra-montgomery-" + i,
                            "198.51.100." + (10 + i) + ":51000", List.of("10." + (8 + s) + ".0." + (2 + i)), now, 1000, 1000));
                }
                fleet.report(names[s], now, instances, List.of());
            }
        }
        return url;
    }

    /**
     * Each face at the default size (1100×720), light, connected: {@code target/screenshots/face-<id>.png}, and into
     * the folder named by {@code -Dculvert.screenshots=DIR} when set (the docs use {@code docs/screenshots}).
     */
    private void screenshots(FxRobot robot) throws Exception {
        robot.interact(() -> {
            stage.setWidth(SCREENS.getFirst().width());
            stage.setHeight(SCREENS.getFirst().height());
            theme = Theme.LIGHT;
            theme.apply();
        });
        String docs = System.getProperty("culvert.screenshots");
        for (String face : List.of("client", "servers", "topology")) {
            robot.clickOn("#nav-" + face);
            WaitForAsyncUtils.waitForFxEvents();
            Thread.sleep(1200);
            WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.image.WritableImage image = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get();
            int w = (int) image.getWidth();
            int h = (int) image.getHeight();
            int[] argb = new int[w * h];
            image.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(),
                    java.nio.IntBuffer.wrap(argb), w);
            java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_ARGB);
            out.setRGB(0, 0, w, h, argb, 0, w);
            Path file = Path.of("target", "screenshots", "face-" + face + ".png");
            Files.createDirectories(file.getParent());
            javax.imageio.ImageIO.write(out, "png", file.toFile());
            if (docs != null && !docs.isBlank()) {
                Files.createDirectories(Path.of(docs));
                Files.copy(file, Path.of(docs, file.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The client face's tabs only. */
    private void clientFace(FxRobot robot, String state) throws Exception {
        robot.clickOn("#nav-client");
        TabPane tabs = robot.lookup("#client-tabs").queryAs(TabPane.class);
        for (int i = 0; i < tabs.getTabs().size(); i++) {
            int tab = i;
            robot.interact(() -> tabs.getSelectionModel().select(tab));
            check(state + " client/" + tabs.getTabs().get(tab).getId(), SCREENS);
        }
        robot.interact(() -> tabs.getSelectionModel().select(0));
    }

    /** Each face, each tab of it, on each screen, light and dark. */
    private void faces(FxRobot robot, String state) throws Exception {
        for (String face : List.of("client", "servers", "topology")) {
            robot.clickOn("#nav-" + face);
            WaitForAsyncUtils.waitForFxEvents();
            List<TabPane> tabPanes = robot.lookup(".tab-pane").queryAllAs(TabPane.class).stream().filter(Node::isVisible)
                    .filter(t -> t.getScene() == stage.getScene() && t.isVisible() && t.getParent() != null && t.getParent().isVisible())
                    .toList();
            if (tabPanes.isEmpty()) {
                check(state + " " + face, SCREENS);
            }
            for (TabPane tabs : tabPanes) {
                for (int i = 0; i < tabs.getTabs().size(); i++) {
                    int tab = i;
                    robot.interact(() -> tabs.getSelectionModel().select(tab));
                    check(state + " " + face + "/" + tabs.getTabs().get(tab).getId(), SCREENS);
                }
                robot.interact(() -> tabs.getSelectionModel().select(0));
            }
        }
    }

    /**
     * What is showing, on each screen (the main window resized, every window at the screen's scale), in both themes:
     * all in one FX-thread task, so nothing is rendered and nothing waited for at the sizes in between (the checks
     * need CSS and layout, not pixels; each size and theme used to cost a rendered frame, up to 4K in software,
     * and several round trips to the FX thread). The window is left at the default size and
     * 100 %, in whichever theme came last (the next check starts with it, one theme switch per check).
     */
    private void check(String where, List<Screen> screens) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        long t0 = System.nanoTime();
        problems.addAll(WaitForAsyncUtils.asyncFx(() -> {
            Region root = (Region) stage.getScene().getRoot();
            List<String> found = new ArrayList<>();
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 1) {
                    theme = theme == Theme.LIGHT ? Theme.DARK : Theme.LIGHT;
                    long t = System.nanoTime();
                    theme.apply();
                    themeNanos += System.nanoTime() - t;
                }
                double last = 0;
                for (Screen screen : screens) {
                    boolean fresh = screen.scale() != last;
                    last = screen.scale();
                    scale.set(screen.scale());
                    if (screen.width() > 0) {
                        resize(screen.width(), screen.height());
                        if (root.getWidth() != screen.width() || root.getHeight() != screen.height()) {
                            found.add(where + " " + screen + ": the window did not take the size (" + root.getWidth() + "x"
                                    + root.getHeight() + ")");
                        }
                    }
                    for (Window w : Window.getWindows()) {
                        if (w.isShowing() && (w.getRenderScaleX() != screen.scale() || w.getRenderScaleY() != screen.scale())) {
                            found.add(where + " " + screen + ": a window's render scale is " + w.getRenderScaleX());
                        }
                    }
                    found.addAll(LayoutFit.problems(where + " " + screen + " " + theme.name().toLowerCase(Locale.ROOT), fresh));
                }
            }
            scale.set(1);
            resize(SCREENS.getFirst().width(), SCREENS.getFirst().height());
            return found;
        }).get(120, TimeUnit.SECONDS));
        checkNanos += System.nanoTime() - t0;
        checks++;
    }

    private void dialog(FxRobot robot, String what) throws Exception {
        await(what, () -> WaitForAsyncUtils.asyncFx(() -> Window.getWindows().stream()
                .anyMatch(w -> w != stage && w instanceof Stage && w.isShowing())).get());
        check(what, SCALES);
    }

    /**
     * The window and its content at this size at once: a stage's new size reaches its scene only with the next
     * pulse (headless Monocle has no window frame, so the content is the window's size).
     */
    private void resize(int width, int height) {
        stage.setWidth(width);
        stage.setHeight(height);
        stage.getScene().getRoot().resize(width, height);
    }

    /** Puts the text in the field (typing it key by key is slow and not what this test is about). */
    private static void fill(FxRobot robot, String id, String text) {
        var field = robot.lookup(id).queryAs(javafx.scene.control.TextInputControl.class);
        robot.interact(() -> {
            field.requestFocus();
            field.setText(text);
        });
    }

    private void bindScale(Window w) {
        w.renderScaleXProperty().bind(scale);
        w.renderScaleYProperty().bind(scale);
    }

    private void importAndCheck(FxRobot robot, Path file, String what) throws Exception {
        robot.clickOn("#nav-client");
        ClientFeature feature = (ClientFeature) robot.lookup("#nav-client").queryAs(javafx.scene.control.ToggleButton.class).getUserData();
        robot.interact(() -> feature.importFiles(List.of(file)));
        await(what, () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        dialog(robot, what);
        robot.interact(() -> robot.lookup("#import-report-dialog").query().getScene().getWindow().hide());
    }

    private void select(FxRobot robot, String profile) throws Exception {
        var list = robot.lookup("#profiles").queryListView();
        await("profile " + profile, () -> list.getItems().stream().anyMatch(p -> p.toString().contains(profile)));
        robot.interact(() -> list.getItems().stream()
                .filter(p -> ((io.culvert.engine.api.ProfileSummary) p).name().equals(profile)).findFirst()
                .ifPresent(p -> list.getSelectionModel().select(p)));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String plain(FxRobot robot, String id) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> robot.lookup(id).queryAs(Label.class).getText()).get();
        } catch (Exception e) {
            return "";
        }
    }


    private static void await(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out: " + what, e);
        }
    }
}
