package io.culvert.app;

import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** The desktop app's window. For now a minimal shell; the client and server-manager faces come next. */
public final class CulvertApp extends Application {

    @Override
    public void start(Stage stage) {
        Label title = new Label("Culvert");
        title.setId("title");
        title.setStyle("-fx-font-size: 24px; -fx-font-weight: bold;");
        Label version = new Label("Engine " + engineVersion());
        version.setId("version");
        Label hint = new Label("The tunnel engine runs headless today:\n  ./culvert client --config profile.ovpn");
        VBox root = new VBox(12, title, version, hint);
        root.setPadding(new Insets(24));
        stage.setTitle("Culvert");
        stage.setScene(new Scene(root, 520, 240));
        stage.show();
    }

    static String engineVersion() {
        String v = io.culvert.engine.api.EngineEvent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
