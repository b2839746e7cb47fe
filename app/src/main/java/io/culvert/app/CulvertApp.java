package io.culvert.app;

import io.culvert.app.client.ClientFeature;
import io.culvert.app.common.Theme;
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

    @Override
    public void start(Stage stage) {
        start(stage, AppContext.create());
    }

    /** Starts with a given context (tests pass their own). */
    public void start(Stage stage, AppContext ctx) {
        context = ctx;
        Theme.LIGHT.apply();
        features = List.of(new ClientFeature(ctx), new ServerManagerFeature(ctx), new TopologyFeature(ctx));
        MainWindow window = new MainWindow(features, null);
        stage.setTitle("Culvert");
        IntStream.of(16, 32, 48, 64, 128, 256).mapToObj(n -> new Image(CulvertApp.class.getResource("icons/culvert-" + n + ".png").toExternalForm())).forEach(stage.getIcons()::add);
        stage.setScene(new Scene(window.root(), 1100, 720));
        stage.show();
    }

    @Override
    public void stop() {
        features.forEach(Feature::shutdown);
        if (context != null) {
            context.background().shutdownNow();
        }
    }

    static String engineVersion() {
        String v = io.culvert.engine.api.EngineEvent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
