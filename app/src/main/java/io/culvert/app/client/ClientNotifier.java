package io.culvert.app.client;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.ConnectionInfo;
import javafx.scene.Node;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desktop notifications (ControlsFX) when a connection comes up, goes down or fails. Remembers the last text shown,
 * for tests and the tray tooltip. FX thread only.
 */
final class ClientNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ClientNotifier.class);

    private final ConnectionModel c;
    private final Messages msg;
    private final Node owner;
    private boolean wasConnected;
    private String last = "";

    ClientNotifier(ConnectionModel connection, Messages msg, Node owner) {
        this.c = connection;
        this.msg = msg;
        this.owner = owner;
        c.phaseProperty().addListener((o, a, p) -> changed(p));
    }

    private void changed(ConnectionModel.Phase p) {
        String profile = c.profileProperty().get();
        switch (p) {
            case CONNECTED -> {
                wasConnected = true;
                ConnectionInfo i = c.infoProperty().get();
                show(msg.get("notify.connected.title", profile),
                        msg.get("notify.connected.text", i == null || i.ipv4() == null ? msg.get("status.none") : i.ipv4()), false);
            }
            case IDLE -> {
                if (wasConnected) {
                    show(msg.get("notify.disconnected.title", profile), msg.get("notify.disconnected.text"), false);
                }
                wasConnected = false;
            }
            case FAILED -> {
                wasConnected = false;
                ConnectionModel.Failure f = c.failureProperty().get();
                show(msg.get("notify.failed.title", profile), f == null ? "" : ErrorText.message(msg, f.kind()), true);
            }
            default -> { }
        }
    }

    private void show(String title, String text, boolean error) {
        last = title + ": " + text;
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
