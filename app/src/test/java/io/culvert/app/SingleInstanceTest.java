package io.culvert.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.common.SessionBus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One app per user: the real lock and channels, against a real session bus (a dbus-daemon this test starts) and
 * without one (the socket), in this JVM and across two JVMs. A later start hands its files to the first and returns
 * empty; a copy killed with SIGKILL leaves its socket file behind, and the next start still becomes the first.
 */
class SingleInstanceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private Path dir;
    private Path run;
    private SessionBus bus;
    private Process child;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("culvert-single");
        run = dir.resolve("run");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (child != null) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (bus != null) {
                bus.close();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static SingleInstance.Request open(Path... files) {
        return new SingleInstance.Request(List.of(files));
    }

    @Test
    void overTheSessionBusASecondStartHandsItsFileToTheFirst() throws Exception {
        bus = SessionBus.start();
        Path profile = Files.writeString(dir.resolve("office.ovpn"), "client\n");
        try (SingleInstance first = SingleInstance.claim(run, bus.address(), open(), PATIENCE).orElseThrow()) {
            BlockingQueue<SingleInstance.Request> got = new LinkedBlockingQueue<>();
            first.onRequest(got::add);
            assertTrue(first.onBus());
            try (DBusConnection c = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
                DBus dbus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
                assertTrue(dbus.NameHasOwner("io.culvert.Culvert"));
            }
            // the socket gone, only the bus can carry the request
            Files.delete(run.resolve(SingleInstance.SOCKET));
            assertEquals(Optional.empty(), SingleInstance.claim(run, bus.address(), open(profile), PATIENCE));
            assertEquals(open(profile), got.poll(30, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), SingleInstance.claim(run, bus.address(), open(), PATIENCE));
            assertEquals(open(), got.poll(30, TimeUnit.SECONDS), "a plain start asks to show the window");
        }
    }

    @Test
    void withoutASessionBusThePrivateSocketCarriesIt() throws Exception {
        Path profile = Files.writeString(dir.resolve("home lab.ovpn"), "client\n");
        BlockingQueue<SingleInstance.Request> got = new LinkedBlockingQueue<>();
        try (SingleInstance first = SingleInstance.claim(run, null, open(), PATIENCE).orElseThrow()) {
            assertFalse(first.onBus());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve(SingleInstance.SOCKET))));
            // a request before the app has its window waits for the handler
            assertEquals(Optional.empty(), SingleInstance.claim(run, null, open(profile), PATIENCE));
            first.onRequest(got::add);
            assertEquals(open(profile), got.poll(30, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(run.resolve(SingleInstance.SOCKET)), "a clean quit takes its socket away");
        try (SingleInstance again = SingleInstance.claim(run, null, open(), PATIENCE).orElseThrow()) {
            assertTrue(again != null);
        }
    }

    @ParameterizedTest(name = "with a session bus: {0}")
    @ValueSource(booleans = {true, false})
    void aRunningJvmIsAskedAndAKilledOneDoesNotBlockTheNext(boolean withBus) throws Exception {
        String address = null;
        if (withBus) {
            bus = SessionBus.start();
            address = bus.address();
        }
        child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), SingleInstanceChild.class.getName(), run.toString(),
                address == null ? "-" : address).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().filter(l -> l.startsWith("CHILD ")).forEach(lines::offer);
            } catch (IOException e) {
                // the child was killed
            }
        });
        assertEquals(withBus ? "CHILD first on the bus" : "CHILD first", lines.poll(60, TimeUnit.SECONDS));

        Path profile = Files.writeString(dir.resolve("office.ovpn"), "client\n");
        assertEquals(Optional.empty(), SingleInstance.claim(run, address, open(profile), PATIENCE), "the second start ends");
        assertEquals("CHILD request [" + profile + "]", lines.poll(30, TimeUnit.SECONDS));

        child.destroyForcibly(); // SIGKILL: no clean-up
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(run.resolve(SingleInstance.SOCKET)), "the killed copy left its socket file");
        try (SingleInstance next = SingleInstance.claim(run, address, open(), PATIENCE).orElseThrow()) {
            BlockingQueue<SingleInstance.Request> got = new LinkedBlockingQueue<>();
            next.onRequest(got::add);
            assertEquals(withBus, next.onBus(), "the killed copy's bus name was freed");
            assertEquals(Optional.empty(), SingleInstance.claim(run, address, open(profile), PATIENCE));
            assertEquals(open(profile), got.poll(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRunFolderThatIsALinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(run, elsewhere);
        IOException e = assertThrows(IOException.class, () -> SingleInstance.claim(run, null, open(), PATIENCE));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
        assertFalse(Files.exists(elsewhere.resolve(SingleInstance.LOCK)));
    }

    @Test
    void aRunFolderOpenToOthersIsMadePrivate() throws Exception {
        Files.createDirectory(run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (SingleInstance first = SingleInstance.claim(run, null, open(), PATIENCE).orElseThrow()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve(SingleInstance.LOCK))));
        }
    }

    @Test
    void socketRequestsAreCheckedLineByLine() {
        assertEquals(Optional.of(open(Path.of("/x/a b.ovpn"))), SingleInstance.parse("activate\nopen file:///x/a%20b.ovpn\n"));
        assertEquals(Optional.of(open()), SingleInstance.parse("activate\n"));
        assertEquals(Optional.empty(), SingleInstance.parse("open file:///x\n"));
        assertEquals(Optional.empty(), SingleInstance.parse("activate\nopen http://example.com/x.ovpn\n"));
        assertEquals(Optional.empty(), SingleInstance.parse("activate\nrm -rf /\n"));
    }
}
