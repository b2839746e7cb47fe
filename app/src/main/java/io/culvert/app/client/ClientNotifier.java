package io.culvert.app.client;

import io.culvert.app.common.DesktopNotifications;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ConnectionInfo;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications when a connection comes up, is lost and comes back, goes down or fails: through the desktop's
 * notification service on the session D-Bus ({@link DesktopNotifications}), each profile's newest replacing its last,
 * or as an in-window toast (ControlsFX) where there is no such service. Remembers the last text shown, for tests and
 * the tray tooltip. Built and driven on the FX thread; the bus is called on the background executor.
 */
final class ClientNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ClientNotifier.class);

    private final ConnectionModel c;
    private final Messages msg;
    private final Node owner;
    private final Executor background;
    private final DesktopNotifications desktop;
    private final Map<String, Integer> shownIds = new ConcurrentHashMap<>();
    private boolean wasConnected;
    private boolean lost;
    private String last = "";

    ClientNotifier(ConnectionModel connection, Messages msg, Node owner, Executor background, DesktopNotifications desktop) {
        this.c = connection;
        this.msg = msg;
        this.owner = owner;
        this.background = background;
        this.desktop = desktop;
        c.phaseProperty().addListener((o, a, p) -> changed(p));
    }

    private void changed(ConnectionModel.Phase p) {
        String profile = c.profileProperty().get();
        switch (p) {
            case CONNECTED -> {
                ConnectionInfo i = c.infoProperty().get();
                String address = i == null || i.ipv4() == null ? msg.get("status.none") : i.ipv4();
                show(profile, msg.get(lost ? "notify.reconnected.title" : "notify.connected.title", profile),
                        msg.get("notify.connected.text", address), false);
                wasConnected = true;
                lost = false;
            }
            case CONNECTING -> {
                if (wasConnected && !lost) {
                    // the engine is reconnecting on its own: the tunnel is down until it is back
                    lost = true;
                    show(profile, msg.get("notify.lost.title", profile), msg.get("notify.lost.text"), true);
                }
            }
            case IDLE -> {
                if (wasConnected) {
                    show(profile, msg.get("notify.disconnected.title", profile), msg.get("notify.disconnected.text"), false);
                }
                wasConnected = false;
                lost = false;
            }
            case FAILED -> {
                wasConnected = false;
                lost = false;
                ConnectionModel.Failure f = c.failureProperty().get();
                show(profile, msg.get("notify.failed.title", profile), f == null ? "" : ErrorText.message(msg, f.kind()), true);
            }
            default -> { }
        }
    }

    private void show(String profile, String title, String text, boolean error) {
        last = title + ": " + text;
        String key = profile == null ? "" : profile;
        try {
            background.execute(() -> {
                Optional<Integer> id = desktop.show(title, text, error, shownIds.getOrDefault(key, 0));
                if (id.isPresent()) {
                    shownIds.put(key, id.get());
                } else {
                    Platform.runLater(() -> toast(title, text, error));
                }
            });
        } catch (RejectedExecutionException e) {
            toast(title, text, error);
        }
    }

    private void toast(String title, String text, boolean error) {
        if (owner.getScene() == null || owner.getScene().getWindow() == null || !owner.getScene().getWindow().isShowing()) {
            return;
        }
        try {
            Notifications n = Notifications.create().title(title).text(text).owner(owner.getScene().getWindow())
                    .hideAfter(Duration.seconds(5));
            if (error) {
                n.showError();
            } else {
                n.showInformation();
            }
        } catch (RuntimeException e) {
            LOG.debug("Notification not shown: {}", e.toString());
        }
    }

    /** The last notification as "title: text". */
    String last() {
        return last;
    }
}
