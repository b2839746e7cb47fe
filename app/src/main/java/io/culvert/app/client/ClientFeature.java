package io.culvert.app.client;

import io.culvert.app.AppContext;
import io.culvert.app.common.DesktopNotifications;
import io.culvert.app.common.FxBridge;
import io.culvert.app.common.Messages;
import io.culvert.app.shell.Feature;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * The client face: stored profiles, import with its report, the one Connect/Disconnect button, status with a live
 * traffic graph, the log, notifications and a tray icon. Remembers the window size and the last profile. Built on
 * the FX thread.
 */
public final class ClientFeature implements Feature {
    static final String WIDTH = "client.window.width";
    static final String HEIGHT = "client.window.height";
    static final String CLOSE_TO_TRAY = "window.close-to-tray";
    static final String TOLD_ABOUT_TRAY = "window.told-about-tray";

    private final AppContext context;
    private final Messages msg = Messages.of("client");
    private final ClientViewModel vm;
    private final ClientView view;
    private final ClientNotifier notifier;
    private final DesktopNotifications desktop = DesktopNotifications.session();
    private ClientTray tray;
    private Runnable quit = Platform::exit;
    /** Closing the window leaves the app in the tray (when there is one); remembered under {@link #CLOSE_TO_TRAY}. */
    private final javafx.beans.property.BooleanProperty closeToTray = new javafx.beans.property.SimpleBooleanProperty(true);
    private boolean toldAboutTray;
    private final PauseTransition saveSize = new PauseTransition(Duration.seconds(1));

    public ClientFeature(AppContext context) {
        this.context = context;
        this.vm = new ClientViewModel(context.engine(), context.profiles(), context.background(), Platform::runLater, FxBridge::new);
        this.view = new ClientView(vm, msg, closeToTray);
        this.notifier = new ClientNotifier(vm.connection(), msg, view.root(), context.background(), desktop);
        LoginDialog login = new LoginDialog(msg, view.root());
        vm.setPrompter(new ClientViewModel.LoginPrompter() {
            @Override
            public java.util.concurrent.CompletableFuture<Optional<Login.Answer>> ask(Login.Request request) {
                notifier.signInNeeded(request.profile(), request.retry());
                return login.ask(request);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Optional<String>> askPassphrase(String profile, String keyName) {
                return login.askPassphrase(profile, keyName);
            }
        });
        java.util.Set<String> warned = new java.util.HashSet<>();
        vm.expiring().addListener((javafx.collections.MapChangeListener<String, java.time.Instant>) change -> {
            if (change.wasAdded() && warned.add(change.getKey())) {
                notifier.certificateExpiring(change.getKey(), change.getValueAdded(), vm.clock().instant());
            }
        });
        vm.load();
        view.root().sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((o2, w0, w) -> attach(w));
                attach(scene.getWindow());
            }
        });
    }

    private Window window;
    private final javafx.beans.value.ChangeListener<Number> resized = (o, a, b) -> saveSize.playFromStart();

    private void attach(Window w) {
        if (w == null || window != null) {
            return;
        }
        window = w;
        tray = ClientTray.start(vm, msg, context.background(), () -> showWindow(w), () -> quit.run(), closeToTray);
        if (context.background().isShutdown()) {
            return;
        }
        context.background().execute(() -> {
            var settings = context.profiles().settings();
            boolean keep = !"false".equals(settings.get(CLOSE_TO_TRAY).orElse("true"));
            boolean told = "true".equals(settings.get(TOLD_ABOUT_TRAY).orElse("false"));
            Platform.runLater(() -> {
                closeToTray.set(keep);
                toldAboutTray |= told;
                closeToTray.addListener((o, a, on) -> save(CLOSE_TO_TRAY, String.valueOf(on)));
            });
            Optional<Double> width = settings.get(WIDTH).flatMap(ClientFeature::number);
            Optional<Double> height = settings.get(HEIGHT).flatMap(ClientFeature::number);
            Platform.runLater(() -> {
                width.ifPresent(w::setWidth);
                height.ifPresent(w::setHeight);
                w.widthProperty().addListener(resized);
                w.heightProperty().addListener(resized);
            });
        });
        saveSize.setOnFinished(e -> {
            if (context.background().isShutdown()) {
                return; // a window outliving this feature (tests reuse one stage) must not reach a closed context
            }
            String width = String.valueOf(Math.round(w.getWidth()));
            String height = String.valueOf(Math.round(w.getHeight()));
            context.background().execute(() -> {
                context.profiles().settings().put(WIDTH, width);
                context.profiles().settings().put(HEIGHT, height);
            });
        });
    }

    private static void showWindow(Window w) {
        if (w instanceof Stage s) {
            s.setIconified(false);
            s.show();
            s.toFront();
        }
    }

    private void save(String key, String value) {
        if (!context.background().isShutdown()) {
            context.background().execute(() -> context.profiles().settings().put(key, value));
        }
    }

    /**
     * Closing {@code stage} hides it while the client's icon is in a tray (and the user keeps that on): the app runs
     * on, connected or not, and says so the first time. Without a tray, closing runs {@code quit} (the app exits as
     * it always did). {@code quit} is also what the tray's Quit does.
     */
    public void keepRunningOnClose(Stage stage, Runnable quit) {
        this.quit = quit;
        stage.setOnCloseRequest(e -> { // the one close policy of this stage, replacing an earlier app's (tests reuse it)
            e.consume();
            if (inTray()) {
                Platform.setImplicitExit(false); // no window left on screen is not the end of the app
                stage.hide();
                tellOnce();
            } else {
                quit.run();
            }
        });
    }

    /** True when closing the window leaves the app in the tray. */
    public boolean inTray() {
        return tray != null && tray.presentProperty().get() && closeToTray.get();
    }

    /** Whether closing the window keeps the app in the tray (a setting, on by default). */
    public javafx.beans.property.BooleanProperty closeToTrayProperty() {
        return closeToTray;
    }

    /** True once the client's icon is in a tray. */
    public javafx.beans.value.ObservableBooleanValue trayPresent() {
        return tray == null ? new javafx.beans.property.SimpleBooleanProperty(false) : tray.presentProperty();
    }

    private void tellOnce() {
        if (toldAboutTray) {
            return;
        }
        toldAboutTray = true;
        save(TOLD_ABOUT_TRAY, "true");
        String title = msg.get("tray.kept.title");
        String text = msg.get("tray.kept.text", ClientShortcuts.text(ClientShortcuts.QUIT));
        lastNotification = title + ": " + text;
        if (tray.tell(title, text) || context.background().isShutdown()) {
            return;
        }
        context.background().execute(() -> desktop.show(title, text, false, 0));
    }

    private String lastNotification = "";

    private static Optional<Double> number(String s) {
        try {
            double d = Double.parseDouble(s);
            return d >= 200 && d <= 10_000 ? Optional.of(d) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String id() {
        return "client";
    }

    @Override
    public String title() {
        return msg.get("feature.title");
    }

    @Override
    public Node view() {
        return view.root();
    }

    /** Imports files as the file chooser and drag and drop do (tests and "open with" use it). */
    public void importFiles(List<Path> files) {
        view.importFiles(files);
    }

    /** The last notification shown, as "title: text". */
    String lastNotification() {
        return notifier.last();
    }

    /** The last thing the tray said ("Culvert keeps running in the tray: …"), or "". */
    String lastTrayNotice() {
        return lastNotification;
    }

    /** The tray icon's controller (tests click its menu through the bus, and read its picture). */
    ClientTray tray() {
        return tray;
    }

    @Override
    public java.util.Map<javafx.scene.input.KeyCombination, Runnable> shortcuts() {
        return java.util.Map.of(ClientShortcuts.CONNECT, view::toggleFromKeyboard, ClientShortcuts.IMPORT, view::chooseAndImport);
    }

    /**
     * The connection in a few words for the window title and the tray ("Connected: office"), or empty when nothing
     * runs.
     */
    public javafx.beans.binding.StringExpression windowStatus() {
        ConnectionModel c = vm.connection();
        return javafx.beans.binding.Bindings.createStringBinding(() -> switch (c.phase()) {
            case IDLE -> "";
            case CONNECTING -> msg.get("title.connecting", c.profileProperty().get());
            case CONNECTED -> msg.get("title.connected", c.profileProperty().get());
            case DISCONNECTING -> msg.get("title.disconnecting", c.profileProperty().get());
            case FAILED -> msg.get("title.failed", c.profileProperty().get());
        }, c.phaseProperty(), c.profileProperty());
    }

    @Override
    public void shutdown() {
        saveSize.stop();
        if (window != null) {
            window.widthProperty().removeListener(resized);
            window.heightProperty().removeListener(resized);
        }
        if (tray != null) {
            tray.close();
        }
        vm.shutdown();
        desktop.close();
    }
}
