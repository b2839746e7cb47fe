package io.culvert.engine.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.it.Scenario;
import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.service.Account;
import io.culvert.engine.service.CulvertService;
import io.culvert.engine.service.ServiceSettings;
import io.culvert.engine.daemon.protocol.Operation;
import io.culvert.engine.daemon.protocol.RawLines;
import io.culvert.engine.daemon.protocol.Result;
import io.culvert.engine.daemon.protocol.Protocol;
import io.culvert.engine.store.Store;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * culvertd in-process with in-memory devices, driven through its real Unix socket by {@link RemoteEngine}: a server
 * and a client over loopback UDP, the event stream, credential prompts and every refusal. The account behind the
 * socket is substituted (the test process is always the same user) so each role can be played; the real kernel
 * identification runs in {@code CulvertServiceNetnsTest}.
 */
class ServiceRoundTripTest {
    private static final Account ROOT = new Account("root", 0, 0, Set.of("root"));
    private static final Account EVE = new Account("eve", 1002, 1002, Set.of("eve", "users"));

    @TempDir
    Path dir;
    private final AtomicReference<Account> caller = new AtomicReference<>(ROOT);
    private CulvertService service;
    private Path socket;
    private TestPki pki;
    private int port;
    private Account bob;
    private Account carol;

    @BeforeEach
    void startService() throws Exception {
        socket = dir.resolve("run/culvertd.sock");
        String group = Files.getAttribute(dir, "posix:group").toString();
        bob = new Account("bob", 1000, 1000, Set.of("bob", group));
        carol = new Account("carol", 1001, 1001, Set.of("carol", group));
        ServiceSettings settings = new ServiceSettings(socket, group, Set.of("culvert-admin"), 8, dir.resolve("state"));
        service = new CulvertService(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()), settings,
                name -> Optional.of(caller.get()), "culvertd test", InstantSource.system());
        service.bind();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                service.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        pki = TestPki.create(dir.resolve("pki"));
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void stopService() throws InterruptedException {
        service.close();
        service.stopAll(5_000);
    }

    private RemoteEngine connectAs(Account who) throws EngineException {
        caller.set(who);
        return RemoteEngine.connect(socket, "test", InstantSource.system());
    }

    private String serverConfig() {
        return Scenario.UDP_TLS_CRYPT_GCM.serverConfig(pki, "127.0.0.1", port);
    }

    private String clientProfile() {
        return Scenario.UDP_TLS_CRYPT_GCM.clientConfig(pki, "127.0.0.1", port, true);
    }

    private static EngineEvent await(BlockingQueue<EngineEvent> q, Predicate<EngineEvent> p, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            EngineEvent e = q.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && p.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no " + what + " within 30 s");
    }

    @Test
    void adminRunsAServerAndAClientThroughTheSocket() throws Exception {
        try (RemoteEngine admin = connectAs(ROOT)) {
            assertEquals(new RemoteEngine.Identity("root", 0, "ADMIN", "culvertd test"), admin.identity());
            BlockingQueue<EngineEvent> serverEvents = new LinkedBlockingQueue<>();
            ServerHandle server = admin.startServer(serverConfig(), dir, serverEvents::add);
            assertEquals("127.0.0.1:" + port + "/udp", server.listenAddress());

            BlockingQueue<EngineEvent> clientEvents = new LinkedBlockingQueue<>();
            ClientHandle client = admin.startClient(clientProfile(), dir, clientEvents::add, prompt -> Optional.empty());
            EngineEvent.Connected up = (EngineEvent.Connected) await(clientEvents, e -> e instanceof EngineEvent.Connected, "Connected");
            assertTrue(up.info().ipv4().startsWith("10.77.0."), up.info().toString());
            await(clientEvents, e -> e instanceof EngineEvent.StateChanged s && s.state() == ConnectionState.CONNECTED, "CONNECTED");
            assertEquals(ConnectionState.CONNECTED, client.state());
            assertEquals(up.info(), client.connectionInfo());

            EngineEvent.Instance joined = (EngineEvent.Instance) await(serverEvents,
                    e -> e instanceof EngineEvent.Instance i && i.change() == EngineEvent.InstanceChange.CONNECTED, "instance");
            assertEquals("client", joined.info().commonName());
            assertEquals(1, server.instances().size(), "the snapshot comes through the socket");
            assertEquals(joined.info().peerId(), server.instances().getFirst().peerId());
            assertNotNull(server.flows());

            client.disconnect();
            assertTrue(client.awaitStopped(15_000), "client stops");
            assertEquals(ConnectionState.DISCONNECTED, client.state());
            server.stop();
            assertTrue(server.awaitStopped(15_000), "server stops");
        }
    }

    @Test
    void credentialPromptsReachTheCallerAndTheAnswerGoesBack() throws Exception {
        try (RemoteEngine admin = connectAs(ROOT)) {
            admin.startServer(serverConfig(), dir, e -> { });
        }
        try (RemoteEngine asBob = connectAs(bob)) {
            AtomicInteger asked = new AtomicInteger();
            BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
            ClientHandle client = asBob.startClient(clientProfile() + "auth-user-pass\n", null, events::add, prompt -> {
                asked.incrementAndGet();
                return Optional.of(new UserPass("bob", "secret"));
            });
            await(events, e -> e instanceof EngineEvent.Connected, "Connected");
            assertTrue(asked.get() >= 1, "the provider was asked");
            client.disconnect();
            assertTrue(client.awaitStopped(15_000));
        }
    }

    @Test
    void operatorsMayNotManageServers() throws Exception {
        try (RemoteEngine asBob = connectAs(bob)) {
            assertEquals("OPERATOR", asBob.identity().role());
            EngineException e = assertThrows(EngineException.class, () -> asBob.startServer(serverConfig(), dir, ev -> { }));
            assertEquals(ErrorKind.PERMISSION_DENIED, e.kind());
            assertTrue(e.getMessage().contains("'startServer' needs an admin"), e.getMessage());
        }
    }

    @Test
    void operatorsNeitherSeeNorStopOtherUsersClients() throws Exception {
        try (RemoteEngine admin = connectAs(ROOT)) {
            admin.startServer(serverConfig(), dir, e -> { });
        }
        try (RemoteEngine asBob = connectAs(bob); RemoteEngine asCarol = connectAs(carol)) {
            BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
            RemoteClientHandle bobs = (RemoteClientHandle) asBob.startClient(clientProfile(), null, events::add, p -> Optional.empty());
            // Connected (with the tunnel's addresses) comes first, then the state CONNECTED, which the handle reports.
            await(events, e -> e instanceof EngineEvent.Connected, "Connected");
            await(events, e -> e instanceof EngineEvent.StateChanged s && s.state() == ConnectionState.CONNECTED, "CONNECTED");
            assertEquals(1, asBob.list().size());
            assertEquals(0, asCarol.list().size(), "carol does not see bob's connection");
            EngineException e = assertThrows(EngineException.class, () -> asCarol.call(new Operation.Disconnect(bobs.id())));
            assertEquals(ErrorKind.INTERNAL, e.kind());
            assertTrue(e.getMessage().endsWith("NOT_FOUND: no such handle"), "another user's handle answers as a missing one: "
                    + e.getMessage());
            assertEquals(ConnectionState.CONNECTED, bobs.state(), "still up");
            bobs.disconnect();
            assertTrue(bobs.awaitStopped(15_000));
        }
    }

    @Test
    void operatorProfilesThatWouldMakeTheServiceWriteFilesAreRefused() throws Exception {
        try (RemoteEngine asBob = connectAs(bob)) {
            EngineException e = assertThrows(EngineException.class,
                    () -> asBob.call(new Operation.StartClient(clientProfile() + "status /etc/passwd 1\n")));
            assertEquals(ErrorKind.PERMISSION_DENIED, e.kind());
            assertTrue(e.getMessage().contains("'status' names a file on the host"), e.getMessage());
        }
    }

    @Test
    void nonMembersAreRefusedAndDisconnected() {
        EngineException e = assertThrows(EngineException.class, () -> connectAs(EVE));
        assertEquals(ErrorKind.PERMISSION_DENIED, e.kind());
        assertTrue(e.getMessage().contains("eve is not a member of group"), e.getMessage());
    }

    @Test
    void aSlowRefusedCallerStillReadsWhyAfterTheServiceHungUp() throws Exception {
        caller.set(EVE);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Thread.sleep(800);
            RawLines lines = new RawLines(Channels.newInputStream(ch), Channels.newOutputStream(ch));
            try {
                lines.write(Map.of("type", "hello", "version", (long) Protocol.VERSION));
            } catch (IOException expected) {
                // the service has closed its end already
            }
            Map<String, Object> reply = lines.read();
            assertEquals("error", reply.get("type"));
            assertEquals("PERMISSION_DENIED", reply.get("kind"));
        }
    }

    @Test
    void aHelloWithAnotherVersionIsRefused() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            RawLines lines = new RawLines(Channels.newInputStream(ch), Channels.newOutputStream(ch));
            lines.write(Map.of("type", "hello", "version", 99L));
            Map<String, Object> reply = lines.read();
            assertEquals("error", reply.get("type"));
            assertEquals("UNSUPPORTED_VERSION", reply.get("kind"));
            assertNull(lines.read(), "the service closes the connection");
        }
    }

    /**
     * A request the codec cannot type is answered on an open connection, as before the typed messages: a caller who
     * may not use the operation at all hears that first, everyone else hears which member is wrong; a request without
     * an integer id is answered with id null; and the next request on the same connection is served.
     */
    @Test
    void aMalformedRequestIsAnsweredAndTheConnectionStaysOpen() throws Exception {
        caller.set(bob);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            RawLines lines = new RawLines(Channels.newInputStream(ch), Channels.newOutputStream(ch));
            lines.write(Map.of("type", "hello", "version", (long) Protocol.VERSION));
            assertEquals("hello", lines.read().get("type"));

            lines.write(Map.of("type", "request", "id", 1L, "op", "clientStatus", "args", Map.of("handle", 5L)));
            Map<String, Object> wrongType = lines.read();
            assertEquals(1L, wrongType.get("id"));
            assertEquals(Map.of("kind", "BAD_REQUEST", "message", "member 'handle' must be a string"), wrongType.get("error"));

            lines.write(Map.of("type", "request", "id", 2L, "op", "kick", "args", Map.of("handle", "s1")));
            assertEquals("PERMISSION_DENIED", ((Map<?, ?>) lines.read().get("error")).get("kind"),
                    "an operator may not kick at all, whatever the request lacks");

            lines.write(Map.of("type", "request", "id", 3L, "op", "format", "args", Map.of()));
            assertEquals(Map.of("kind", "PERMISSION_DENIED", "message", "unknown operation 'format'"), lines.read().get("error"));

            lines.write(Map.of("type", "request", "id", "4", "op", "list"));
            Map<String, Object> noId = lines.read();
            assertTrue(noId.containsKey("id") && noId.get("id") == null, noId::toString);
            assertEquals("BAD_REQUEST", ((Map<?, ?>) noId.get("error")).get("kind"));

            lines.write(Map.of("type", "request", "id", 5L, "op", "list", "args", Map.of()));
            Map<String, Object> list = lines.read();
            assertEquals(5L, list.get("id"));
            assertEquals(true, list.get("ok"), list::toString);
            assertEquals(Map.of("handles", List.of()), list.get("result"));
        }
    }

    @Test
    void aMalformedLineClosesTheConnection() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            RawLines lines = new RawLines(Channels.newInputStream(ch), Channels.newOutputStream(ch));
            lines.write(Map.of("type", "hello", "version", (long) Protocol.VERSION));
            assertEquals("hello", lines.read().get("type"));
            ch.write(java.nio.ByteBuffer.wrap("{\"type\":\"request\",\"id\":1,\"op\":\n".getBytes(StandardCharsets.UTF_8)));
            Map<String, Object> reply = lines.read();
            assertEquals("error", reply.get("type"));
            assertEquals("BAD_REQUEST", reply.get("kind"));
            assertNull(lines.read());
        }
    }

    @Test
    void socketAndFolderAreGroupOnly() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void theServerManagerRunsItsServerInCulvertdFromCopiesAndPushesRevocationsAndCcdChanges() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Account ann = new Account("ann", 1003, 1003, Set.of("ann", Files.getAttribute(dir, "posix:group").toString(), "culvert-admin"));
        try (RemoteEngine remote = connectAs(ann);
                Store store = Store.open(home.resolve("culvert.db"), InstantSource.system());
                LocalServerAdmin admin = new LocalServerAdmin(remote, store, home.resolve("servers"), InstantSource.system(),
                        new SecureRandom())) {
            admin.create(ServerSpec.builder("office", "127.0.0.1").network("10.78.0.0", "255.255.255.0").port(port)
                    .bindAddress("127.0.0.1").build());
            admin.issueClient("office", "alice");
            admin.setClientNetwork("office", "alice", new ClientNetwork("10.78.0.50", List.of(), List.of()));
            BlockingQueue<EngineEvent> serverEvents = new LinkedBlockingQueue<>();
            ServerHandle server = admin.start("office", serverEvents::add);
            Path state;
            try (var folders = Files.list(dir.resolve("state/servers"))) {
                state = folders.collect(java.util.stream.Collectors.toList()).getFirst();
            }
            assertEquals("ifconfig-push 10.78.0.50 255.255.255.0\n", Files.readString(state.resolve("ccd/alice")), "ccd sent along");
            assertEquals(Files.readString(home.resolve("servers/office/pki/crl.pem")), Files.readString(state.resolve("crl.pem")));

            LocalEngine clients = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
            BlockingQueue<EngineEvent> clientEvents = new LinkedBlockingQueue<>();
            ClientHandle client = clients.startClient(admin.exportProfile("office", "alice"), null, clientEvents::add, p -> Optional.empty());
            try {
                EngineEvent.Connected up = (EngineEvent.Connected) await(clientEvents, e -> e instanceof EngineEvent.Connected, "Connected");
                assertEquals("10.78.0.50/24", up.info().ipv4(), "the static address from the service's copy of the ccd");

                admin.setClientNetwork("office", "bob", new ClientNetwork("10.78.0.60", List.of(), List.of()));
                assertEquals("ifconfig-push 10.78.0.60 255.255.255.0\n", Files.readString(state.resolve("ccd/bob")));
                admin.setClientNetwork("office", "bob", ClientNetwork.NONE);
                assertFalse(Files.exists(state.resolve("ccd/bob")));

                admin.revoke("office", "alice");
                assertEquals(Files.readString(home.resolve("servers/office/pki/crl.pem")), Files.readString(state.resolve("crl.pem")),
                        "the new CRL went to the service");
                EngineEvent.Instance kicked = (EngineEvent.Instance) await(serverEvents,
                        e -> e instanceof EngineEvent.Instance i && i.change() == EngineEvent.InstanceChange.KICKED, "KICKED");
                assertEquals("certificate revoked", kicked.detail());
            } finally {
                client.disconnect();
                client.awaitStopped(5_000);
            }
            admin.stop("office");
            assertTrue(server.awaitStopped(5_000));
            long end = System.nanoTime() + 5_000_000_000L;
            while (Files.exists(state) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertFalse(Files.exists(state), "the state folder goes with the server");
        }
    }

    /**
     * Issue 12 over culvertd: the manager's edit restarts the hosted server on its new port, rename keeps it running,
     * and a backup restored after delete is started in culvertd again and takes the profile exported before.
     */
    @Test
    void theServerManagerEditsRenamesAndRestoresAServerHostedInCulvertd() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Account ann = new Account("ann", 1003, 1003, Set.of("ann", Files.getAttribute(dir, "posix:group").toString(), "culvert-admin"));
        LocalEngine clients = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        try (RemoteEngine remote = connectAs(ann);
                Store store = Store.open(home.resolve("culvert.db"), InstantSource.system());
                LocalServerAdmin admin = new LocalServerAdmin(remote, store, home.resolve("servers"), InstantSource.system(),
                        new SecureRandom())) {
            ServerSpec spec = admin.create(ServerSpec.builder("office", "127.0.0.1")
                    .network("10.78.0.0", "255.255.255.0").port(port).bindAddress("127.0.0.1").build());
            admin.issueClient("office", "alice");
            ServerHandle before = admin.start("office", e -> { });
            int newPort;
            try (DatagramSocket s = new DatagramSocket(0)) {
                newPort = s.getLocalPort();
            }
            var edit = admin.edit(spec.withPort(newPort));
            assertTrue(edit.restarted() && edit.clientsMustReimport(), edit.toString());
            assertTrue(before.awaitStopped(5_000), "the old instance in culvertd stopped");
            assertTrue(admin.running("office").orElseThrow().listenAddress().endsWith(":" + newPort + "/udp"));
            String profile = admin.exportProfile("office", "alice");
            connectOnce(clients, profile, "a re-exported profile on the new port");

            admin.rename("office", "branch");
            assertTrue(admin.running("branch").isPresent(), "runs on in culvertd under the new name");
            byte[] backup = admin.backup("branch", "passphrase".toCharArray());
            admin.delete("branch");
            assertEquals(List.of(), admin.servers());
            admin.restore(backup, "passphrase".toCharArray(), null);
            admin.start("branch", e -> { });
            connectOnce(clients, profile, "the profile exported before the backup, after restore");
            admin.stop("branch");
        }
    }

    private static void connectOnce(LocalEngine clients, String profile, String what) throws Exception {
        BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
        ClientHandle client = clients.startClient(profile, null, events::add, p -> Optional.empty());
        try {
            await(events, e -> e instanceof EngineEvent.Connected, "Connected: " + what);
        } finally {
            client.disconnect();
            client.awaitStopped(5_000);
        }
    }

    /**
     * The manager's "push update" when its server runs in culvertd: the update goes through the socket as a typed
     * message and a connected client gets the new route, then a new address; only the admin who started the server
     * (or root) may send one, and what no update may carry is refused through the socket as in-process.
     */
    @Test
    void theOwnerOfAHostedServerSendsAPushUpdateThroughTheSocket() throws Exception {
        String group = Files.getAttribute(dir, "posix:group").toString();
        Account ann = new Account("ann", 1003, 1003, Set.of("ann", group, "culvert-admin"));
        Account dan = new Account("dan", 1004, 1004, Set.of("dan", group, "culvert-admin"));
        LocalEngine clients = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        try (RemoteEngine owner = connectAs(ann)) {
            ServerHandle server = owner.startServer(serverConfig(), dir, e -> { });
            String handle = ((RemoteServerHandle) server).id();
            BlockingQueue<EngineEvent> clientEvents = new LinkedBlockingQueue<>();
            ClientHandle client = clients.startClient(clientProfile(), null, clientEvents::add, p -> Optional.empty());
            try {
                await(clientEvents, e -> e instanceof EngineEvent.Connected, "Connected");
                int peer = server.instances().getFirst().peerId();

                assertEquals(1, server.pushUpdate(peer, "route 10.99.0.0 255.255.255.0"));
                EngineEvent.Connected routed = (EngineEvent.Connected) await(clientEvents,
                        e -> e instanceof EngineEvent.Connected c && c.info().routes().contains("10.99.0.0/24"), "the pushed route");
                assertEquals(List.of("10.99.0.0/24"), routed.info().routes());
                assertEquals(1, server.pushUpdate(peer, "ifconfig 10.77.0.50 255.255.255.0"));
                await(clientEvents, e -> e instanceof EngineEvent.Connected c && "10.77.0.50/24".equals(c.info().ipv4()), "the new address");
                assertEquals(List.of("10.77.0.50"), server.instances().getFirst().virtualAddresses());

                EngineException notAnUpdate = assertThrows(EngineException.class, () -> server.pushUpdate(peer, "cipher AES-128-GCM"));
                assertEquals(ErrorKind.CONFIG_INVALID, notAnUpdate.kind());
                assertTrue(notAnUpdate.getMessage().contains("not an option a PUSH_UPDATE may carry"), notAnUpdate.getMessage());

                Operation.PushUpdate args = new Operation.PushUpdate(handle, -1, "redirect-gateway def1");
                try (RemoteEngine otherAdmin = connectAs(dan)) {
                    EngineException e = assertThrows(EngineException.class, () -> otherAdmin.call(args));
                    assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), "another admin may not change this server's clients");
                }
                try (RemoteEngine operator = connectAs(bob)) {
                    EngineException e = assertThrows(EngineException.class, () -> operator.call(args));
                    assertEquals(ErrorKind.PERMISSION_DENIED, e.kind());
                }
                try (RemoteEngine root = connectAs(ROOT)) {
                    assertEquals(new Result.Sent(1), root.call(new Operation.PushUpdate(handle, -1, "-route")), "root may");
                }
                await(clientEvents, e -> e instanceof EngineEvent.Connected c && c.info().routes().isEmpty(), "the route taken away");
            } finally {
                client.disconnect();
                client.awaitStopped(5_000);
                server.stop();
                server.awaitStopped(5_000);
            }
        }
    }

    /**
     * The manager moves a connected client to another static address while its server runs in culvertd: the new
     * client-config-dir entry goes to the service, which sends the client a PUSH_UPDATE with the new {@code ifconfig};
     * the client's tunnel takes the address and the server lists it there.
     */
    @Test
    void theServerManagerMovesAConnectedClientOfAServerHostedInCulvertd() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Account ann = new Account("ann", 1003, 1003, Set.of("ann", Files.getAttribute(dir, "posix:group").toString(), "culvert-admin"));
        try (RemoteEngine remote = connectAs(ann);
                Store store = Store.open(home.resolve("culvert.db"), InstantSource.system());
                LocalServerAdmin admin = new LocalServerAdmin(remote, store, home.resolve("servers"), InstantSource.system(),
                        new SecureRandom())) {
            admin.create(ServerSpec.builder("office", "127.0.0.1").network("10.78.0.0", "255.255.255.0").port(port)
                    .bindAddress("127.0.0.1").build());
            admin.issueClient("office", "alice");
            admin.setClientNetwork("office", "alice", new ClientNetwork("10.78.0.50", List.of(), List.of()));
            ServerHandle server = admin.start("office", e -> { });
            LocalEngine clients = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
            BlockingQueue<EngineEvent> clientEvents = new LinkedBlockingQueue<>();
            ClientHandle client = clients.startClient(admin.exportProfile("office", "alice"), null, clientEvents::add, p -> Optional.empty());
            try {
                EngineEvent.Connected up = (EngineEvent.Connected) await(clientEvents, e -> e instanceof EngineEvent.Connected, "Connected");
                assertEquals("10.78.0.50/24", up.info().ipv4());

                admin.setClientNetwork("office", "alice", new ClientNetwork("10.78.0.70", List.of(), List.of()));
                await(clientEvents, e -> e instanceof EngineEvent.Connected c && "10.78.0.70/24".equals(c.info().ipv4()),
                        "the new address without a reconnect");
                assertEquals(List.of("10.78.0.70"), server.instances().getFirst().virtualAddresses());
                assertEquals(ConnectionState.CONNECTED, client.state());
            } finally {
                client.disconnect();
                client.awaitStopped(5_000);
            }
            admin.stop("office");
            assertTrue(server.awaitStopped(5_000));
        }
    }

    @Test
    void theServiceRefusesScriptsEvenFromAnAdminThatBypassesTheRemoteEngine() throws Exception {
        try (RemoteEngine admin = connectAs(ROOT)) {
            Operation.StartServer args = new Operation.StartServer(serverConfig() + "learn-address /usr/local/bin/hook\n", Map.of());
            EngineException e = assertThrows(EngineException.class, () -> admin.call(args));
            assertEquals(ErrorKind.PERMISSION_DENIED, e.kind());
            assertTrue(e.getMessage().contains("'learn-address' runs a script"), e.getMessage());
            EngineException local = assertThrows(EngineException.class,
                    () -> admin.startServer(serverConfig() + "learn-address /usr/local/bin/hook\n", dir, ev -> { }));
            assertTrue(local.getMessage().contains("culvertd will not run this server for you"), local.getMessage());
            assertEquals(0, admin.list().size(), "nothing was started");
        }
    }
}
