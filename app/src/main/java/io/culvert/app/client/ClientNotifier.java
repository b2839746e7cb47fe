package io.culvert.app.client;

import io.culvert.app.common.DesktopNotifications;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.ConnectionInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
 * Notifications when a connection comes up, is lost and comes back, goes down or fails, when a profile needs its
 * user to sign in (no saved login, or the saved one was refused), and when a profile's certificate expires within two
 * weeks (once per profile and run): through the desktop's
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

    /** Tells the user that {@code profile} waits for a sign-in: none is saved, or the server refused the saved one. */
    void signInNeeded(String profile, boolean refused) {
        show(profile, msg.get("notify.signin.title", profile), msg.get(refused ? "notify.signin.refused" : "notify.signin.text"),
                refused);
    }

    /** Warns that {@code profile}'s certificate expires at {@code notAfter} (or has expired), measured at {@code now}. */
    void certificateExpiring(String profile, Instant notAfter, Instant now) {
        show("cert:" + profile, msg.get("notify.expiring.title", profile), expiryText(msg, notAfter, now), true);
    }

    /** "expires on DATE (N days left)" or "expired on DATE", in the desktop's time zone. */
    static String expiryText(Messages msg, Instant notAfter, Instant now) {
        String date = LocalDate.ofInstant(notAfter, ZoneId.systemDefault()).toString();
        return notAfter.isAfter(now) ? msg.get("notify.expiring.text", date, java.time.Duration.between(now, notAfter).toDays())
                : msg.get("notify.expired.text", date);
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
