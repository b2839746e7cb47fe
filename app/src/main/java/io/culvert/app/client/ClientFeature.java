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

    private final AppContext context;
    private final Messages msg = Messages.of("client");
    private final ClientViewModel vm;
    private final ClientView view;
    private final ClientNotifier notifier;
    private final DesktopNotifications desktop = DesktopNotifications.session();
    private Optional<ClientTray> tray = Optional.empty();
    private final PauseTransition saveSize = new PauseTransition(Duration.seconds(1));

    public ClientFeature(AppContext context) {
        this.context = context;
        this.vm = new ClientViewModel(context.engine(), context.profiles(), context.background(), Platform::runLater, FxBridge::new);
        this.view = new ClientView(vm, msg);
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
        tray = ClientTray.install(vm, msg, () -> w);
        if (context.background().isShutdown()) {
            return;
        }
        context.background().execute(() -> {
            var settings = context.profiles().settings();
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
        tray.ifPresent(ClientTray::remove);
        vm.shutdown();
        desktop.close();
    }
}
