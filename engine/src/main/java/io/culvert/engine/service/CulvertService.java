package io.culvert.engine.service;

import io.culvert.engine.api.Engine;
import io.culvert.engine.common.Threads;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.time.InstantSource;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * culvertd: serves an {@link Engine} on a Unix socket to authorised local users. Each accepted caller is
 * identified by the kernel (SO_PEERCRED: the user and group of the process that connected), resolved against the
 * account database and given a {@link Role}; callers without one get an error line and are disconnected.
 * Thread-safe; {@link #serve()} blocks until {@link #close()}.
 */
public final class CulvertService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CulvertService.class);

    private final ServiceSettings settings;
    private final Accounts accounts;
    private final Authorizer authorizer;
    private final Registry registry = new Registry();
    private final Dispatcher dispatcher;
    private ServerSocketChannel server;
    private volatile boolean closing;

    private final InstantSource clock;

    /** {@code clock} times the handshake and idle limits. */
    public CulvertService(Engine engine, ServiceSettings settings, Accounts accounts, String agent, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        this.accounts = accounts;
        this.authorizer = new Authorizer(settings.group(), settings.adminGroups());
        this.dispatcher = new Dispatcher(engine, authorizer, registry, agent, serverStates(settings));
    }

    /** Creates the socket (folder 0750, socket 0660, both group-owned); callers may connect afterwards. */
    public synchronized void bind() throws IOException {
        Path socket = settings.socket().toAbsolutePath();
        GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(settings.group());
        SocketFiles.prepareFolder(socket.getParent(), group);
        SocketFiles.removeStale(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        // The folder (0750, group-owned) already keeps others out while the socket briefly has the umask's mode.
        server.bind(UnixDomainSocketAddress.of(socket));
        SocketFiles.restrict(socket, group);
        ServerFolder.clearStale(serverStates(settings));
        LOG.info("culvertd listening on {} (group {}, admins: root and {})", socket, settings.group(), settings.adminGroups());
    }

    private static Path serverStates(ServiceSettings settings) {
        return settings.stateDir().resolve("servers");
    }

    public Path socket() {
        return settings.socket();
    }

    /** Accepts callers until closed; each is served on its own virtual thread. */
    public void serve() throws IOException {
        while (!closing) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            }
            Threads.virtual("culvertd-conn").start(() -> admit(ch));
        }
    }

    private void admit(SocketChannel ch) {
        Caller caller;
        try {
            caller = identify(ch);
        } catch (IOException e) {
            LOG.warn("cannot read the peer's credentials: {}", e.toString());
            closeQuietly(ch);
            return;
        }
        Connection conn = new Connection(ch, caller, registry, dispatcher, settings.limits(), clock);
        if (caller.role() == Role.NONE) {
            LOG.warn("refused {}: not a member of group {}", caller.describe(), settings.group());
            conn.fail("PERMISSION_DENIED", caller.account().name() + " is not a member of group " + settings.group()
                    + "; ask an administrator to add you (adduser " + caller.account().name() + " " + settings.group() + ")");
            return;
        }
        String full = registry.admit(conn, settings);
        if (full != null) {
            LOG.warn("refused {}: {}", caller.describe(), full);
            conn.fail("BUSY", full);
            return;
        }
        LOG.info("{} connected as {}", caller.describe(), caller.role());
        conn.serve();
    }

    /** The caller as the kernel reports it, its groups as the account database lists them. */
    Caller identify(SocketChannel ch) throws IOException {
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String name = peer.user().getName();
        Optional<Account> account = accounts.lookup(name);
        if (account.isEmpty()) {
            return new Caller(new Account(name, -1, -1, java.util.Set.of()), Role.NONE);
        }
        return new Caller(account.get(), authorizer.roleOf(account.get()));
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(settings.socket());
        } catch (IOException e) {
            LOG.debug("closing the socket: {}", e.toString());
        }
    }

    /** Stops every client and server the service runs and waits up to {@code millis} for each. */
    public void stopAll(long millis) throws InterruptedException {
        for (Hosted h : registry.all()) {
            if (h.client() != null) {
                h.client().disconnect();
                h.client().awaitStopped(millis);
            }
            if (h.server() != null) {
                h.server().stop();
                h.server().awaitStopped(millis);
            }
            if (h.folder() != null) {
                h.folder().delete();
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
