package io.culvert.app;

import io.culvert.app.common.DesktopBus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.application.Application;

/**
 * Main class that does not extend {@link Application}, so the app starts from a plain classpath. One app runs per
 * user: a second start hands its files to the running one, which shows its window, and ends ({@link SingleInstance}).
 * {@code culvert-app [--demo] [PROFILE.ovpn …]}: the files are imported.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && !"Monocle".equals(System.getProperty("glass.platform"))) {
            System.err.println("culvert app: no display found. On a headless machine run the engine directly:\n"
                    + "  ./culvert client --config profile.ovpn");
            System.exit(1);
        }
        SingleInstance.Request request = SingleInstance.Request.ofArgs(List.of(args));
        try {
            Optional<SingleInstance> first = SingleInstance.claim(SingleInstance.runDir(AppContext.defaultDataDir()),
                    DesktopBus.address(), request, Duration.ofSeconds(10));
            if (first.isEmpty()) {
                System.err.println("Culvert is already running: its window is shown"
                        + (request.files().isEmpty() ? "" : " and imports " + request.files().size() + " file(s)"));
                System.exit(0);
            }
            CulvertApp.hold(first.get());
        } catch (SingleInstance.NotAnswering e) {
            System.err.println("culvert app: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Launcher.class).warn("Starting without the one-app-per-user check: {}",
                    e.getMessage());
        }
        Application.launch(CulvertApp.class, args);
    }
}
