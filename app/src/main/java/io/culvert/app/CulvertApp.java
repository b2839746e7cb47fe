package io.culvert.app;

import io.culvert.app.client.ClientFeature;
import io.culvert.app.common.ThemePreference;
import io.culvert.app.server.ServerManagerFeature;
import io.culvert.app.shell.Feature;
import io.culvert.app.shell.MainWindow;
import io.culvert.app.topology.TopologyFeature;
import java.util.List;
import java.util.stream.IntStream;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/** The desktop app: one window with the client, the server manager and the topology view. */
public final class CulvertApp extends Application {
    private List<Feature> features = List.of();
    private AppContext context;

    /** The one-app-per-user lock and channels, held from {@link Launcher} until the app stops (none in tests). */
    private static volatile SingleInstance single;

    private boolean openDemo;
    private ThemePreference theme;
    private MainWindow window;
    /** Held so the title's listener lives as long as the app. */
    private javafx.beans.binding.StringExpression titleStatus;

    @Override
    public void start(Stage stage) {
        openDemo = getParameters() != null && getParameters().getRaw().contains("--demo");
        start(stage, AppContext.create());
        List<java.nio.file.Path> files = getParameters() == null ? List.of()
                : SingleInstance.Request.ofArgs(getParameters().getRaw()).files();
        if (!files.isEmpty()) {
            raise(stage, new SingleInstance.Request(files));
        }
    }

    /** Held by {@link Launcher} before the toolkit starts (and by tests); {@link #stop} closes it. */
    public static void hold(SingleInstance instance) {
        single = instance;
    }

    /** Shows and raises the window; with files, on the client face importing them. */
    void raise(Stage stage, SingleInstance.Request r) {
        stage.setIconified(false);
        stage.show();
        stage.toFront();
        stage.requestFocus();
        if (!r.files().isEmpty() && window != null) {
            window.select(feature(ClientFeature.class).id());
            feature(ClientFeature.class).importFiles(r.files());
        }
    }

    /** Starts with a given context (tests pass their own). */
    public void start(Stage stage, AppContext ctx) {
        context = ctx;
        theme = ThemePreference.load(ctx.profiles() == null ? null : ctx.profiles().settings(), ctx.background());
        TopologyFeature topology = new TopologyFeature(ctx);
        ServerManagerFeature servers = new ServerManagerFeature(ctx);
        features = List.of(new ClientFeature(ctx), servers, topology);
        if (ctx.servers() != null) {
            ManagedServerSources.follow(ctx.servers(), servers.viewModel(), topology);
        }
        if (servers.fleetViewModel() != null) {
            FleetSources.follow(servers.fleetViewModel(), topology);
        }
        // --demo (./culvert demo): open on the topology view with the demo network running.
        window = new MainWindow(features, openDemo ? topology.id() : null, theme);
        window.showEngineMode(ctx.engineMode());
        if (openDemo) {
            topology.startDemo();
        }
        // the connection's state in the title, where the taskbar and window switcher show it
        javafx.beans.binding.StringExpression status = feature(ClientFeature.class).windowStatus();
        // set, not bound: the stage outlives this app in tests, which title it themselves
        java.util.function.Consumer<String> title = st -> stage.setTitle(st.isEmpty() ? "Culvert" : "Culvert \u2014 " + st);
        title.accept(status.get());
        status.addListener((o, was, now) -> title.accept(now));
        titleStatus = status;
        IntStream.of(16, 32, 48, 64, 128, 256).mapToObj(n -> new Image(CulvertApp.class.getResource("icons/culvert-" + n + ".png").toExternalForm())).forEach(stage.getIcons()::add);
        Scene scene = new Scene(window.root(), 1100, 720);
        // Ctrl+Q quits (stop() disconnects); closing the window only hides it while the client's icon is in a tray
        scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.Q,
                javafx.scene.input.KeyCombination.SHORTCUT_DOWN), javafx.application.Platform::exit);
        feature(ClientFeature.class).keepRunningOnClose(stage, javafx.application.Platform::exit);
        stage.setScene(scene);
        stage.show();
        SingleInstance s = single;
        if (s != null) { // a later start: show the window, import its files
            s.onRequest(r -> javafx.application.Platform.runLater(() -> raise(stage, r)));
        }
    }

    /** The running feature of {@code type} (tests reach the server manager's file picker through it). */
    public <F extends Feature> F feature(Class<F> type) {
        return features.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feature " + type.getSimpleName()));
    }

    @Override
    public void stop() {
        SingleInstance s = single;
        if (s != null) {
            s.close();
            single = null;
        }
        features.forEach(Feature::shutdown);
        if (theme != null) {
            theme.close();
        }
        if (context != null) {
            context.background().shutdownNow();
            try {
                if (context.profiles() != null) {
                    context.profiles().close();
                }
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(CulvertApp.class).warn("Closing the profile store failed", e);
            }
        }
    }

    static String engineVersion() {
        String v = io.culvert.engine.api.EngineEvent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
