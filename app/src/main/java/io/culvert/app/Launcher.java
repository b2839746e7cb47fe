package io.culvert.app;

import javafx.application.Application;

/** Main class that does not extend {@link Application}, so the app starts from a plain classpath. */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && !"Monocle".equals(System.getProperty("glass.platform"))) {
            System.err.println("culvert app: no display found. On a headless machine run the engine directly:\n"
                    + "  ./culvert client --config profile.ovpn");
            System.exit(1);
        }
        Application.launch(CulvertApp.class, args);
    }
}
