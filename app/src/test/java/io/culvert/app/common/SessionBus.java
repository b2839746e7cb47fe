package io.culvert.app.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * A private session D-Bus for a test: a real {@code dbus-daemon} on a socket in a temporary folder, and optionally a
 * notification server on it (owning {@code org.freedesktop.Notifications}) that records every notification it is
 * sent. While it runs it is the app's session bus ({@link DesktopBus#ADDRESS_PROPERTY}); closing stops both and gives
 * the property back its value. A missing dbus-daemon fails the test (it is never skipped).
 */
public final class SessionBus implements AutoCloseable {
    /** One notification as the server received it. */
    public record Received(String appName, int replacesId, String summary, String body, byte urgency) {}

    private final Path dir;
    private final Process daemon;
    private final String address;
    private DBusConnection serverConnection;
    private DBusConnection portalConnection;
    private volatile int colorScheme;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final String previousAddress = System.getProperty(DesktopBus.ADDRESS_PROPERTY);

    private SessionBus(Path dir, Process daemon, String address) {
        this.dir = dir;
        this.daemon = daemon;
        this.address = address;
    }

    /** Starts a bus; fails when dbus-daemon is missing (as it must in CI). */
    public static SessionBus start() throws IOException, InterruptedException {
        Path daemonBinary = Path.of("/usr/bin/dbus-daemon");
        if (!Files.isExecutable(daemonBinary)) {
            throw new IllegalStateException("dbus-daemon is not installed (apt-get install dbus): the notification tests need"
                    + " a real session bus");
        }
        Path dir = Files.createTempDirectory("culvert-bus");
        Path socket = dir.resolve("bus");
        Process p = new ProcessBuilder(daemonBinary.toString(), "--session", "--nofork", "--nopidfile",
                "--address=unix:path=" + socket).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("dbus-daemon did not start: " + Files.readString(dir.resolve("daemon.log")));
            }
            Thread.sleep(20);
        }
        SessionBus bus = new SessionBus(dir, p, "unix:path=" + socket);
        System.setProperty(DesktopBus.ADDRESS_PROPERTY, bus.address);
        return bus;
    }

    /** The bus address, as {@code DBUS_SESSION_BUS_ADDRESS} would give it. */
    public String address() {
        return address;
    }

    /** Puts a recording notification server on the bus. */
    public SessionBus withNotificationServer() throws Exception {
        serverConnection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        serverConnection.requestBusName(FreedesktopNotifications.BUS_NAME);
        serverConnection.exportObject(FreedesktopNotifications.OBJECT_PATH, new FreedesktopNotifications() {
            @Override
            public UInt32 show(String appName, UInt32 replacesId, String appIcon, String summary, String body,
                    List<String> actions, Map<String, Variant<?>> hints, int expireTimeout) {
                Variant<?> u = hints.get("urgency");
                received.add(new Received(appName, replacesId.intValue(), summary, body,
                        u == null ? -1 : ((Number) u.getValue()).byteValue()));
                return new UInt32(replacesId.intValue() != 0 ? replacesId.intValue() : received.size());
            }

            @Override
            public String getObjectPath() {
                return FreedesktopNotifications.OBJECT_PATH;
            }
        });
        return this;
    }

    /** Puts an XDG desktop portal on the bus whose {@code color-scheme} is {@code scheme} (0 none, 1 dark, 2 light). */
    public SessionBus withPortal(int scheme) throws Exception {
        colorScheme = scheme;
        portalConnection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        portalConnection.requestBusName(PortalSettings.BUS_NAME);
        portalConnection.exportObject(PortalSettings.OBJECT_PATH, new PortalSettings() {
            @Override
            public Variant<?> read(String namespace, String key) {
                if (!PortalSettings.APPEARANCE.equals(namespace) || !PortalSettings.COLOR_SCHEME.equals(key)) {
                    throw new org.freedesktop.dbus.exceptions.DBusExecutionException("Requested setting not found");
                }
                // as portals before version 2 answer Read: the value wrapped in one more variant
                return new Variant<>(new Variant<>(new UInt32(colorScheme)), "v");
            }

            @Override
            public String getObjectPath() {
                return PortalSettings.OBJECT_PATH;
            }
        });
        return this;
    }

    /** The desktop switches its colour scheme: the portal says so with SettingChanged. */
    public void changeColorScheme(int scheme) throws Exception {
        colorScheme = scheme;
        portalConnection.sendMessage(new PortalSettings.SettingChanged(PortalSettings.OBJECT_PATH, PortalSettings.APPEARANCE,
                PortalSettings.COLOR_SCHEME, new Variant<>(new UInt32(scheme))));
    }

    /** What the notification server received so far, in order. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (serverConnection != null) {
                serverConnection.close();
            }
            if (portalConnection != null) {
                portalConnection.close();
            }
        } finally {
            if (previousAddress == null) {
                System.clearProperty(DesktopBus.ADDRESS_PROPERTY);
            } else {
                System.setProperty(DesktopBus.ADDRESS_PROPERTY, previousAddress);
            }
            daemon.destroy();
            if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
