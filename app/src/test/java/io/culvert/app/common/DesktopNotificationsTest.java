package io.culvert.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link DesktopNotifications} against a real session bus (dbus-daemon started by the test). */
class DesktopNotificationsTest {
    @Test
    void theNotificationServerReceivesSummaryBodyAndUrgencyAndAReplacementKeepsItsId() throws Exception {
        try (SessionBus bus = SessionBus.start().withNotificationServer(); DesktopNotifications n = DesktopNotifications.session()) {
            Optional<Integer> id = n.show("Connected: office", "Your address is 10.8.0.2.", false, 0);
            assertTrue(id.isPresent() && id.get() > 0, () -> "no id: " + id);
            assertEquals(id, n.show("Connection lost: office", "Reconnecting…", true, id.get()));
            assertEquals(List.of(
                    new SessionBus.Received("Culvert", 0, "Connected: office", "Your address is 10.8.0.2.", (byte) 1),
                    new SessionBus.Received("Culvert", id.get(), "Connection lost: office", "Reconnecting…", (byte) 2)),
                    bus.received());
        }
    }

    @Test
    void aBusWithoutANotificationServerAnswersEmptySoTheAppShowsAToast() throws Exception {
        try (SessionBus bus = SessionBus.start(); DesktopNotifications n = DesktopNotifications.session()) {
            assertEquals(Optional.empty(), n.show("Connected: office", "text", false, 0));
            assertEquals(Optional.empty(), n.show("again", "text", false, 0), "it stops asking the bus");
        }
    }

    @Test
    void noBusAtAllAnswersEmpty() {
        String before = System.getProperty(DesktopBus.ADDRESS_PROPERTY);
        System.setProperty(DesktopBus.ADDRESS_PROPERTY, "unix:path=/nonexistent/culvert-bus");
        try (DesktopNotifications n = DesktopNotifications.session()) {
            assertEquals(Optional.empty(), n.show("Connected: office", "text", false, 0));
        } finally {
            if (before == null) {
                System.clearProperty(DesktopBus.ADDRESS_PROPERTY);
            } else {
                System.setProperty(DesktopBus.ADDRESS_PROPERTY, before);
            }
        }
    }
}
