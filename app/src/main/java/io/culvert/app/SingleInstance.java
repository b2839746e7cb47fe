package io.culvert.app;

import io.culvert.engine.common.Threads;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Culvert app per user (ADR 0038). The first start takes a lock ({@code app.lock}, an advisory {@code fcntl} lock the
 * kernel drops when the process dies, so a killed copy never blocks the next) in a private run folder, and listens on
 * two channels: the well-known name {@value FreedesktopApplication#BUS_NAME} on the session D-Bus
 * ({@code org.freedesktop.Application}) and a Unix socket {@code app.sock} in the same folder (0600 in a 0700 folder
 * the user owns) for desktops without a session bus. A later start finds the lock taken, asks the running copy over
 * the bus (else the socket) to show its window and import the files it was given, and ends.
 *
 * <p>Requests arrive on the bus's and the socket's threads and reach the handler there (the app hops to the FX
 * thread); those that come before a handler is set wait, at most {@value #PENDING}. Thread-safe.
 */
public final class SingleInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SingleInstance.class);
    static final String LOCK = "app.lock";
    static final String SOCKET = "app.sock";
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final int MAX_FILES = 64;
    private static final int PENDING = 16;
    private static final int CONNECTIONS = 4;
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    /**
     * What a start asks of the running app: show and raise the window, and import {@code files} (absolute paths,
     * none for a plain start).
     */
    public record Request(List<Path> files) {
        public Request {
            files = List.copyOf(files);
        }

        /** The request of a start with command-line {@code args}: every argument not starting with "--" is a file. */
        public static Request ofArgs(List<String> args) {
            return new Request(args.stream().filter(a -> !a.startsWith("--"))
                    .map(a -> Path.of(a).toAbsolutePath().normalize()).toList());
        }
    }

    /** A copy of the app holds the lock but answered on neither channel. */
    public static final class NotAnswering extends IOException {
        NotAnswering(String message) {
            super(message);
        }
    }

    private final FileChannel lockFile;
    private final FileLock lock;
    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Semaphore connections = new Semaphore(CONNECTIONS);
    private final Queue<Request> pending = new ArrayDeque<>();
    private DBusConnection bus;
    private Consumer<Request> handler;
    private volatile boolean closed;

    private SingleInstance(FileChannel lockFile, FileLock lock, Path socketPath, ServerSocketChannel server) {
        this.lockFile = lockFile;
        this.lock = lock;
        this.socketPath = socketPath;
        this.server = server;
    }

    /**
     * The private run folder for the lock and the socket: {@code $XDG_RUNTIME_DIR/culvert} (a folder only the user
     * can reach, emptied at logout), else {@code run} in the app's data folder; never a shared path such as /tmp.
     */
    public static Path runDir(Path dataDir) {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() && Files.isDirectory(Path.of(xdg))) {
            return Path.of(xdg, "culvert");
        }
        return dataDir.resolve("run");
    }

    /**
     * Becomes the running copy, or hands {@code request} to the one that runs. Empty when a running copy took the
     * request (this start should end); the held instance when this start is the first.
     *
     * @param runDir the private run folder ({@link #runDir}); created 0700, refused when it is a link or another
     *     user's
     * @param busAddress the session bus, or null where there is none (only the socket is used)
     * @param patience how long to keep asking a copy that holds the lock but does not answer yet (it may be starting)
     * @throws NotAnswering when a copy holds the lock and answers on neither channel within {@code patience}
     * @throws IOException when the run folder cannot be made private
     */
    public static Optional<SingleInstance> claim(Path runDir, String busAddress, Request request, Duration patience)
            throws IOException {
        privateDir(runDir);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<SingleInstance> first = tryFirst(runDir, busAddress);
            if (first.isPresent()) {
                return first;
            }
            if (handOver(runDir, busAddress, request)) {
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                throw new NotAnswering("Culvert is already running for this user (the lock " + runDir.resolve(LOCK)
                        + " is held) but it does not answer; end it, or wait until it has quit");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotAnswering("interrupted while waiting for the running Culvert");
            }
        }
    }

    /** Makes {@code dir} a folder only this user can reach, or refuses. */
    static void privateDir(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (FileAlreadyExistsException raced) {
                // checked below like any folder that was there
            }
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new IOException(dir + " is not a folder (a link or a file): Culvert keeps its lock and socket only in a"
                    + " folder of its own");
        }
        String me = System.getProperty("user.name");
        if (!a.owner().getName().equals(me)) {
            throw new IOException(dir + " belongs to " + a.owner().getName() + ", not to " + me
                    + ": Culvert will not put its lock and socket there");
        }
        if (!a.permissions().equals(PRIVATE_DIR)) {
            Files.setPosixFilePermissions(dir, PRIVATE_DIR);
        }
    }

    private static Optional<SingleInstance> tryFirst(Path runDir, String busAddress) throws IOException {
        Path lockPath = runDir.resolve(LOCK);
        FileChannel ch = FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException held) { // held by this very JVM (tests)
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        ch.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        Path socket = runDir.resolve(SOCKET);
        ServerSocketChannel server = null;
        try {
            Files.deleteIfExists(socket); // a killed copy's: the lock says nobody listens on it
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PRIVATE_FILE);
        } catch (IOException e) {
            LOG.warn("No single-instance socket at {} ({}): a second start reaches this one only over the session bus",
                    socket, e.getMessage());
            if (server != null) {
                server.close();
                server = null;
            }
        }
        SingleInstance s = new SingleInstance(ch, lock, socket, server);
        if (server != null) {
            Threads.platform("culvert-single-instance").daemon().start(s::accept);
        }
        if (busAddress != null) {
            s.ownName(busAddress);
        }
        return Optional.of(s);
    }

    private void ownName(String busAddress) {
        DBusConnection c = null;
        try {
            c = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
            c.requestBusName(FreedesktopApplication.BUS_NAME);
            c.exportObject(FreedesktopApplication.OBJECT_PATH, new Exported());
            synchronized (this) {
                bus = c;
            }
        } catch (DBusException | RuntimeException e) {
            LOG.info("Not on the session bus as {} ({}): a second start reaches this one through {}",
                    FreedesktopApplication.BUS_NAME, e.getMessage(), socketPath);
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /** Asks the running copy; true when it took the request. */
    private static boolean handOver(Path runDir, String busAddress, Request request) {
        if (busAddress != null && overBus(busAddress, request)) {
            return true;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(runDir.resolve(SOCKET)))) {
            StringBuilder message = new StringBuilder("activate\n");
            request.files().forEach(f -> message.append("open ").append(f.toUri()).append('\n'));
            ByteBuffer out = ByteBuffer.wrap(message.toString().getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(256);
            while (in.hasRemaining() && ch.read(in) >= 0) {
                // until the running copy closes
            }
            String reply = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8).strip();
            if (!reply.equals("ok")) {
                LOG.warn("The running Culvert refused the request: {}", reply);
            }
            return true;
        } catch (IOException e) {
            LOG.debug("No answer on {}: {}", runDir.resolve(SOCKET), e.getMessage());
            return false;
        }
    }

    private static boolean overBus(String busAddress, Request request) {
        try (DBusConnection c = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build()) {
            DBus dbus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            if (!dbus.NameHasOwner(FreedesktopApplication.BUS_NAME)) {
                return false;
            }
            FreedesktopApplication app = c.getRemoteObject(FreedesktopApplication.BUS_NAME, FreedesktopApplication.OBJECT_PATH,
                    FreedesktopApplication.class);
            if (request.files().isEmpty()) {
                app.Activate(Map.of());
            } else {
                app.Open(request.files().stream().map(f -> f.toUri().toString()).toList(), Map.of());
            }
            return true;
        } catch (DBusException | IOException | RuntimeException e) { // DBusExecutionException: the call failed
            LOG.debug("Asking {} on the session bus failed: {}", FreedesktopApplication.BUS_NAME, e.getMessage());
            return false;
        }
    }

    /**
     * Where requests from later starts go, from now on and those that came before; called on the bus's or the
     * socket's thread.
     */
    public void onRequest(Consumer<Request> handler) {
        List<Request> waiting;
        synchronized (this) {
            this.handler = handler;
            waiting = List.copyOf(pending);
            pending.clear();
        }
        waiting.forEach(handler);
    }

    private void deliver(Request r) {
        Consumer<Request> h;
        synchronized (this) {
            h = handler;
            if (h == null) {
                if (pending.size() < PENDING) {
                    pending.add(r);
                } else {
                    LOG.warn("A start's request was dropped: {} are waiting for the window", PENDING);
                }
                return;
            }
        }
        h.accept(r);
    }

    private void accept() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("The single-instance socket stopped: {}", e.getMessage());
                }
                return;
            }
            if (!connections.tryAcquire()) {
                close(ch);
                continue;
            }
            Threads.virtual("culvert-single-instance-peer").start(() -> {
                try {
                    serve(ch);
                } finally {
                    connections.release();
                    close(ch);
                }
            });
        }
    }

    private void serve(SocketChannel ch) {
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String me = System.getProperty("user.name");
            if (!peer.user().getName().equals(me)) {
                reply(ch, "error: not " + me);
                return;
            }
            ByteBuffer in = ByteBuffer.allocate(MAX_MESSAGE + 1);
            while (in.hasRemaining() && ch.read(in) >= 0) {
                // until the other start shuts its side
            }
            if (!in.hasRemaining()) {
                reply(ch, "error: longer than " + MAX_MESSAGE + " bytes");
                return;
            }
            String text = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
            Optional<Request> r = parse(text);
            if (r.isEmpty()) {
                reply(ch, "error: not a request");
                return;
            }
            deliver(r.get());
            reply(ch, "ok");
        } catch (IOException | RuntimeException e) {
            LOG.debug("A single-instance request failed: {}", e.getMessage());
        }
    }

    /** A socket request: "activate", then one "open FILE-URI" line per file; empty when it is not one. */
    static Optional<Request> parse(String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().equals("activate") || lines.size() > MAX_FILES + 1) {
            return Optional.empty();
        }
        List<Path> files = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.startsWith("open ")) {
                return Optional.empty();
            }
            Optional<Path> p = fileOf(line.substring(5));
            if (p.isEmpty()) {
                return Optional.empty();
            }
            files.add(p.get());
        }
        return Optional.of(new Request(files));
    }

    private static Optional<Path> fileOf(String uri) {
        try {
            URI u = new URI(uri);
            return "file".equals(u.getScheme()) ? Optional.of(Path.of(u)) : Optional.empty();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void reply(SocketChannel ch, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("closing a single-instance connection: {}", e.getMessage());
        }
    }

    /** True while this copy owns {@value FreedesktopApplication#BUS_NAME} on the session bus. */
    public synchronized boolean onBus() {
        return bus != null;
    }

    /** Stops listening, gives up the bus name and the lock. */
    @Override
    public void close() {
        closed = true;
        DBusConnection c;
        synchronized (this) {
            c = bus;
            bus = null;
        }
        if (c != null) {
            c.disconnect();
        }
        try {
            if (server != null) {
                server.close();
                Files.deleteIfExists(socketPath);
            }
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.debug("releasing the single-instance lock: {}", e.getMessage());
        }
    }

    /** The object a later start calls on the session bus. */
    private final class Exported implements FreedesktopApplication {
        @Override
        public void Activate(Map<String, Variant<?>> platformData) {
            deliver(new Request(List.of()));
        }

        @Override
        public void Open(List<String> uris, Map<String, Variant<?>> platformData) {
            List<Path> files = new ArrayList<>();
            for (String u : uris.subList(0, Math.min(uris.size(), MAX_FILES))) {
                fileOf(u).ifPresentOrElse(files::add, () -> LOG.info("Not a file: {}", u));
            }
            deliver(new Request(files));
        }

        @Override
        public void ActivateAction(String actionName, List<Variant<?>> parameter, Map<String, Variant<?>> platformData) {
            LOG.info("No action {}: showing the window", actionName);
            deliver(new Request(List.of()));
        }

        @Override
        public String getObjectPath() {
            return OBJECT_PATH;
        }
    }
}
