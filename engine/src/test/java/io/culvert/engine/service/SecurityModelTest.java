package io.culvert.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.daemon.protocol.Json;
import io.culvert.engine.daemon.protocol.JsonException;
import io.culvert.engine.daemon.protocol.JsonLimits;
import io.culvert.engine.daemon.protocol.MessageCodec;
import io.culvert.engine.daemon.protocol.MessageException;
import io.culvert.engine.daemon.protocol.Protocol;
import io.culvert.engine.daemon.protocol.ToService;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows of the table in docs/security-model.md ("What each caller can make culvertd do") that a request decides,
 * one test per row and role, against the real {@link Dispatcher}, {@link Authorizer} and {@link Registry} with
 * accounts made up for the test and an engine that records what it is asked to do (so "refused" means the engine
 * never saw the request). Rows about the socket itself are in {@link ConnectionLimitsTest} and
 * {@code CulvertServiceNetnsTest}.
 */
class SecurityModelTest {
    private static final String GROUP = "culvert";
    private static final String SELF_CONTAINED = "client\nremote vpn.example.org 1194\nauth-user-pass\n<ca>\n"
            + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n</ca>\n";
    private static final String SERVER = "dev tun\nserver 10.8.0.0 255.255.255.0\n<ca>\nx\n</ca>\n";

    @TempDir
    Path dir;
    private final Authorizer authorizer = new Authorizer(GROUP, Set.of("culvert-admin", "sudo"));
    private final Registry registry = new Registry();
    private final FakeEngine engine = new FakeEngine();
    private Dispatcher dispatcher;
    private final List<SocketChannel> peers = new ArrayList<>();
    private long requestIds;

    private Caller bob;
    private Caller carol;
    private Caller ann;
    private Caller root;
    private Caller eve;

    @BeforeEach
    void setUp() {
        dispatcher = new Dispatcher(engine, authorizer, registry, "test", dir.resolve("state/servers"));
        bob = caller(new Account("bob", 1000, 1000, Set.of("bob", GROUP)));
        carol = caller(new Account("carol", 1001, 1001, Set.of("carol", GROUP)));
        ann = caller(new Account("ann", 1002, 1002, Set.of("ann", GROUP, "culvert-admin")));
        root = caller(new Account("root", 0, 0, Set.of("root")));
        eve = caller(new Account("eve", 1003, 1003, Set.of("eve", "users")));
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SocketChannel c : peers) {
            c.close();
        }
    }

    private Caller caller(Account a) {
        return new Caller(a, authorizer.roleOf(a));
    }

    /** A connection of {@code who} as the service holds it (a real socket; the test holds the other end). */
    private Connection as(Caller who) throws IOException {
        Path sock = dir.resolve("p" + peers.size() + ".sock");
        try (ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ss.bind(UnixDomainSocketAddress.of(sock));
            peers.add(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
            return new Connection(ss.accept(), who, registry, dispatcher, ServiceSettings.Limits.defaults(64),
                    java.time.InstantSource.system());
        }
    }

    private Map<String, Object> call(Connection c, String op, Map<String, Object> args) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("type", Protocol.REQUEST);
        req.put("id", ++requestIds);
        req.put("op", op);
        req.put("args", args);
        // Through the codec both ways, as on the socket: the test speaks raw JSON and reads what a client would.
        Dispatcher.Reply reply;
        try {
            reply = dispatcher.handle(c, (ToService.Request) MessageCodec.parseToService(Json.write(req)));
        } catch (MessageException e) {
            reply = dispatcher.refuse(c, e);
        } catch (JsonException e) {
            throw new AssertionError(e);
        }
        try {
            return Json.parseObject(MessageCodec.write(reply.message()), JsonLimits.PROTOCOL);
        } catch (JsonException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean ok(Map<String, Object> reply) {
        return Boolean.TRUE.equals(reply.get("ok"));
    }

    @SuppressWarnings("unchecked")
    private static String kind(Map<String, Object> reply) {
        return ok(reply) ? "OK" : (String) ((Map<String, Object>) reply.get("error")).get("kind");
    }

    @SuppressWarnings("unchecked")
    private static String message(Map<String, Object> reply) {
        return (String) ((Map<String, Object>) reply.get("error")).get("message");
    }

    @SuppressWarnings("unchecked")
    private static String handle(Map<String, Object> reply) {
        assertTrue(ok(reply), reply::toString);
        return (String) ((Map<String, Object>) reply.get("result")).get("handle");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> handles(Map<String, Object> reply) {
        assertTrue(ok(reply), reply::toString);
        return (List<Object>) ((Map<String, Object>) reply.get("result")).get("handles");
    }

    private String startClient(Connection c, String profile) {
        return handle(call(c, Protocol.OP_START_CLIENT, Map.of("profile", profile)));
    }

    // --- row: start a client from a self-contained profile ---

    @Test
    @DisplayName("row 'start a client from a self-contained profile': operator yes, admin yes, non-member no")
    void startAClientFromASelfContainedProfile() throws IOException {
        startClient(as(bob), SELF_CONTAINED);
        startClient(as(ann), SELF_CONTAINED);
        startClient(as(root), SELF_CONTAINED);
        assertEquals(3, engine.profiles.size());
        Map<String, Object> r = call(as(eve), Protocol.OP_START_CLIENT, Map.of("profile", SELF_CONTAINED));
        assertEquals("PERMISSION_DENIED", kind(r));
        assertEquals(3, engine.profiles.size(), "the engine never saw the non-member's profile");
    }

    @Test
    @DisplayName("row 'start a client from a self-contained profile': at most 8 at once per operator, admins unlimited")
    void operatorsRunAtMostEightClients() throws IOException {
        Connection c = as(bob);
        for (int i = 0; i < Dispatcher.MAX_CLIENTS_PER_USER; i++) {
            startClient(c, SELF_CONTAINED);
        }
        assertEquals("BUSY", kind(call(c, Protocol.OP_START_CLIENT, Map.of("profile", SELF_CONTAINED))));
        Connection admin = as(ann);
        for (int i = 0; i <= Dispatcher.MAX_CLIENTS_PER_USER; i++) {
            startClient(admin, SELF_CONTAINED);
        }
    }

    // --- row: make culvertd open a file it names ---

    @Test
    @DisplayName("row 'make culvertd open a path it names' (confused deputy through proxy auth files): operator no, admin no")
    void confusedDeputyThroughProxyAuthFiles() throws IOException {
        for (Caller who : List.of(bob, ann, root)) {
            Connection c = as(who);
            for (String line : List.of("http-proxy proxy.example 8080 /etc/culvert/proxy-auth basic",
                    "socks-proxy proxy.example 1080 /etc/culvert/proxy-auth", "http-proxy-user-pass /etc/shadow",
                    "auth-user-pass /etc/shadow", "ca /etc/ssl/private/server.key")) {
                Map<String, Object> r = call(c, Protocol.OP_START_CLIENT, Map.of("profile",
                        "client\nproto tcp\nremote vpn.example.org 1194\n" + line + "\n"));
                assertEquals("PERMISSION_DENIED", kind(r), who.describe() + ": " + line);
                assertTrue(message(r).contains("names a file on the host"), message(r));
                assertFalse(message(r).contains("/etc/"), "the path is not echoed: " + message(r));
            }
        }
        assertEquals(List.of(), engine.profiles, "the engine never saw a profile naming a file");
    }

    @Test
    @DisplayName("row 'make culvertd open a path it names' (askpass FILE): refused for every role, the same words whether"
            + " the path exists or not")
    void askpassFileIsRefusedForEveryRole() throws IOException {
        for (Caller who : List.of(bob, ann, root)) {
            Connection c = as(who);
            Map<String, Object> zero = call(c, Protocol.OP_START_CLIENT, Map.of("profile", SELF_CONTAINED + "askpass /dev/zero\n"));
            Map<String, Object> shadow = call(c, Protocol.OP_START_CLIENT, Map.of("profile", SELF_CONTAINED + "askpass /etc/shadow\n"));
            Map<String, Object> missing = call(c, Protocol.OP_START_CLIENT, Map.of("profile", SELF_CONTAINED + "askpass /no/such/file\n"));
            assertEquals("PERMISSION_DENIED", kind(zero), who.describe());
            assertEquals(message(zero), message(shadow));
            assertEquals(message(shadow), message(missing), "a refusal does not tell whether a path exists");
        }
        Map<String, Object> server = call(as(ann), Protocol.OP_START_SERVER, Map.of("config", SERVER + "askpass /dev/zero\n"));
        assertEquals("PERMISSION_DENIED", kind(server));
        assertEquals(List.of(), engine.profiles);
        assertEquals(List.of(), engine.configs);
        assertEquals(0, registry.all().size(), "no handle left behind");
        assertEquals(List.of(), stateFolders(), "no state folder left behind");
    }

    @Test
    @DisplayName("row 'make culvertd open a path it names': an admin's server config naming a key, a secret or a log is refused")
    void adminServerConfigsNamingFilesAreRefused() throws IOException {
        Connection c = as(ann);
        for (String line : List.of("key /etc/ssl/private/host.key", "auth-gen-token-secret /etc/shadow", "log /etc/passwd",
                "tls-crypt-v2 /root/v2.key", "dh /etc/dh.pem")) {
            Map<String, Object> r = call(c, Protocol.OP_START_SERVER, Map.of("config", SERVER + line + "\n"));
            assertEquals("PERMISSION_DENIED", kind(r), line);
        }
        assertEquals(List.of(), engine.configs);
    }

    // --- row: listen or write on the host, run scripts ---

    @Test
    @DisplayName("row 'make culvertd listen, write or run a program on the host': operator no, admin no")
    void listenWriteOrRunAProgram() throws IOException {
        for (Caller who : List.of(bob, ann)) {
            Connection c = as(who);
            for (String line : List.of("management 127.0.0.1 7505", "status /etc/passwd 1", "up /bin/sh", "log-append /etc/passwd",
                    "writepid /etc/passwd", "plugin /lib/evil.so")) {
                assertEquals("PERMISSION_DENIED", kind(call(c, Protocol.OP_START_CLIENT, Map.of("profile", SELF_CONTAINED + line + "\n"))),
                        who.describe() + ": " + line);
            }
        }
        Connection admin = as(ann);
        for (String line : List.of("learn-address /bin/sh", "client-connect /bin/sh", "management 127.0.0.1 7505", "tmp-dir /etc",
                "tls-verify /bin/sh", "plugin /lib/evil.so")) {
            assertEquals("PERMISSION_DENIED", kind(call(admin, Protocol.OP_START_SERVER, Map.of("config", SERVER + line + "\n"))), line);
        }
        assertEquals(List.of(), engine.profiles);
        assertEquals(List.of(), engine.configs);
    }

    // --- rows: own and other users' handles ---

    @Test
    @DisplayName("row 'see, query and stop its own clients': operator yes, admin yes")
    void seeQueryAndStopOwnClients() throws IOException {
        Connection c = as(bob);
        String h = startClient(c, SELF_CONTAINED);
        assertEquals(1, handles(call(c, Protocol.OP_LIST, Map.of())).size());
        assertEquals("OK", kind(call(c, Protocol.OP_CLIENT_STATUS, Map.of("handle", h))));
        assertEquals("OK", kind(call(c, Protocol.OP_DISCONNECT, Map.of("handle", h))));
        assertEquals(1, engine.disconnects.size());
    }

    @Test
    @DisplayName("row 'see, query or stop another user's clients': operator no (NOT_FOUND, as a missing handle), admin yes")
    void handleIdsAreUnguessableAndForeignHandlesAnswerNotFound() throws IOException {
        Connection asBob = as(bob);
        String bobs = startClient(asBob, SELF_CONTAINED);
        String second = startClient(asBob, SELF_CONTAINED);
        assertTrue(bobs.matches("c[0-9a-f]{32}"), "128 random bits: " + bobs);
        assertNotEquals(bobs.substring(1, 9), second.substring(1, 9), "not a counter");

        Connection asCarol = as(carol);
        assertEquals(List.of(), handles(call(asCarol, Protocol.OP_LIST, Map.of())), "carol does not see bob's clients");
        String missing = "c" + "0".repeat(32);
        for (String op : List.of(Protocol.OP_DISCONNECT, Protocol.OP_CLIENT_STATUS)) {
            Map<String, Object> foreign = call(asCarol, op, Map.of("handle", bobs));
            Map<String, Object> absent = call(asCarol, op, Map.of("handle", missing));
            assertEquals("NOT_FOUND", kind(foreign), op);
            assertEquals(kind(absent), kind(foreign), op + ": one answer for not yours and not there");
            assertEquals(message(absent), message(foreign), op);
        }
        for (String op : List.of(Protocol.OP_STOP_SERVER, Protocol.OP_KICK)) {
            assertEquals(call(asCarol, op, Map.of("handle", missing, "peerId", 1L)).get("error"),
                    call(asCarol, op, Map.of("handle", bobs, "peerId", 1L)).get("error"), op + ": admin ops say the same too");
        }
        assertEquals(0, engine.disconnects.size(), "bob's client still runs");

        Connection admin = as(ann);
        assertEquals(2, handles(call(admin, Protocol.OP_LIST, Map.of())).size(), "an admin sees everyone's");
        assertEquals("OK", kind(call(admin, Protocol.OP_DISCONNECT, Map.of("handle", bobs))));
        assertEquals(1, engine.disconnects.size());
    }

    @Test
    @DisplayName("row 'receive the events of another user's clients': operator no, admin yes (watch)")
    void eventsOfOtherUsersClients() throws IOException {
        Connection asBob = as(bob);
        startClient(asBob, SELF_CONTAINED);
        Hosted h = registry.all().getFirst();
        Connection asCarol = as(carol);
        call(asCarol, Protocol.OP_WATCH, Map.of());
        Connection admin = as(ann);
        call(admin, Protocol.OP_WATCH, Map.of());
        assertTrue(asBob.sees(h), "the starter gets its events");
        assertFalse(asCarol.sees(h), "another operator, even watching, does not");
        assertTrue(admin.sees(h), "a watching admin does");
    }

    // --- rows: servers ---

    @Test
    @DisplayName("row 'start, inspect and stop servers, kick clients': operator no, admin yes")
    void serversAreForAdmins() throws IOException {
        Map<String, Object> r = call(as(bob), Protocol.OP_START_SERVER, Map.of("config", SERVER));
        assertEquals("PERMISSION_DENIED", kind(r));
        assertEquals(List.of(), engine.configs);
        Connection admin = as(ann);
        String s = handle(call(admin, Protocol.OP_START_SERVER, Map.of("config", SERVER)));
        assertTrue(s.matches("s[0-9a-f]{32}"), s);
        assertEquals("PERMISSION_DENIED", kind(call(as(bob), Protocol.OP_SERVER_STATUS, Map.of("handle", s))));
        assertEquals("OK", kind(call(as(root), Protocol.OP_SERVER_STATUS, Map.of("handle", s))));
        assertEquals("OK", kind(call(admin, Protocol.OP_STOP_SERVER, Map.of("handle", s))));
    }

    @Test
    @DisplayName("row 'replace a hosted server's CRL and ccd entries': only the admin who started it, or root")
    void onlyTheStarterOrRootReplacesServerFiles() throws IOException {
        String s = handle(call(as(ann), Protocol.OP_START_SERVER, Map.of("config", SERVER + "client-config-dir ccd\n")));
        Caller otto = caller(new Account("otto", 1005, 1005, Set.of("otto", GROUP, "sudo")));
        Map<String, Object> update = Map.of("handle", s, "ccd", Map.of("alice", "ifconfig-push 10.8.0.9 255.255.255.0\n"));
        assertEquals("PERMISSION_DENIED", kind(call(as(otto), Protocol.OP_UPDATE_SERVER_FILES, update)));
        assertEquals("PERMISSION_DENIED", kind(call(as(bob), Protocol.OP_UPDATE_SERVER_FILES, update)));
        assertEquals("OK", kind(call(as(ann), Protocol.OP_UPDATE_SERVER_FILES, update)));
        assertEquals("OK", kind(call(as(root), Protocol.OP_UPDATE_SERVER_FILES, update)));
    }

    @Test
    @DisplayName("row 'send a PUSH_UPDATE to a hosted server's clients': only the admin who started it, or root")
    void onlyTheStarterOrRootSendsAPushUpdate() throws IOException {
        String s = handle(call(as(ann), Protocol.OP_START_SERVER, Map.of("config", SERVER)));
        Caller otto = caller(new Account("otto", 1005, 1005, Set.of("otto", GROUP, "sudo")));
        Map<String, Object> update = Map.of("handle", s, "peerId", -1L, "options", "redirect-gateway def1");
        assertEquals("PERMISSION_DENIED", kind(call(as(otto), Protocol.OP_PUSH_UPDATE, update)));
        assertEquals("PERMISSION_DENIED", kind(call(as(bob), Protocol.OP_PUSH_UPDATE, update)));
        assertEquals(List.of(), engine.updates, "the engine never saw a refused update");
        assertEquals("OK", kind(call(as(ann), Protocol.OP_PUSH_UPDATE, update)));
        assertEquals("OK", kind(call(as(root), Protocol.OP_PUSH_UPDATE, update)));
        assertEquals(List.of("redirect-gateway def1", "redirect-gateway def1"), engine.updates);
    }

    // --- row: a failed start leaves nothing behind ---

    @Test
    @DisplayName("row 'leave a handle or a state folder behind with a start that fails': no, whatever failed (askpass"
            + " /dev/zero's out-of-memory included)")
    void aFailedStartLeavesNoHandleAndNoStateFolder() throws IOException {
        for (Supplier<Throwable> failure : List.<Supplier<Throwable>>of(() -> new OutOfMemoryError("Java heap space"),
                () -> new IllegalStateException("bug"), () -> new EngineException(ErrorKind.CONFIG_INVALID, "bad"))) {
            engine.failure = failure;
            Connection admin = as(root);
            Map<String, Object> c = call(admin, Protocol.OP_START_CLIENT, Map.of("profile", SELF_CONTAINED));
            assertFalse(ok(c), "the request is answered: " + c);
            Map<String, Object> s = call(admin, Protocol.OP_START_SERVER, Map.of("config", SERVER + "client-config-dir ccd\n",
                    "ccd", Map.of("alice", "ifconfig-push 10.8.0.9 255.255.255.0\n")));
            assertFalse(ok(s), "the request is answered: " + s);
            assertEquals(List.of(), handles(call(admin, Protocol.OP_LIST, Map.of())), "list shows no handle: " + failure.get());
            assertEquals(List.of(), stateFolders(), "the state folder is gone: " + failure.get());
        }
    }

    // --- row: answer prompts ---

    @Test
    @DisplayName("row 'answer a credential prompt': only on the connection that was asked")
    void promptsAreAnsweredOnTheAskingConnectionOnly() throws IOException {
        Connection asCarol = as(carol);
        Map<String, Object> r = call(asCarol, Protocol.OP_ANSWER_PROMPT, Map.of("prompt", 1L, "username", "u", "password", "p"));
        assertEquals("NOT_FOUND", kind(r), "a prompt id is per connection: carol cannot answer bob's prompt 1");
    }

    private List<Path> stateFolders() throws IOException {
        Path root = dir.resolve("state/servers");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.toList();
        }
    }

    /** Records what it is asked to start; {@link #failure} makes starts fail. */
    static final class FakeEngine implements Engine {
        final List<String> profiles = new CopyOnWriteArrayList<>();
        final List<String> configs = new CopyOnWriteArrayList<>();
        final List<Object> disconnects = new CopyOnWriteArrayList<>();
        final List<String> updates = new CopyOnWriteArrayList<>();
        volatile Supplier<Throwable> failure;

        private void maybeFail() throws EngineException {
            Supplier<Throwable> f = failure;
            if (f == null) {
                return;
            }
            switch (f.get()) {
                case EngineException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                case Throwable t -> throw new IllegalStateException(t);
            }
        }

        @Override
        public ClientHandle startClient(String profileText, Path baseDir, EngineListener listener, CredentialsProvider credentials)
                throws EngineException {
            maybeFail();
            profiles.add(profileText);
            CountDownLatch stopped = new CountDownLatch(1);
            return new ClientHandle() {
                @Override
                public ConnectionState state() {
                    return stopped.getCount() == 0 ? ConnectionState.DISCONNECTED : ConnectionState.CONNECTING;
                }

                @Override
                public ConnectionInfo connectionInfo() {
                    return null;
                }

                @Override
                public TrafficStats stats() {
                    return TrafficStats.NONE;
                }

                @Override
                public void disconnect() {
                    disconnects.add(this);
                    stopped.countDown();
                }

                @Override
                public boolean awaitStopped(long millis) throws InterruptedException {
                    return stopped.await(millis, TimeUnit.MILLISECONDS);
                }
            };
        }

        @Override
        public ServerHandle startServer(String configText, Path baseDir, EngineListener listener) throws EngineException {
            maybeFail();
            configs.add(configText);
            CountDownLatch stopped = new CountDownLatch(1);
            return new ServerHandle() {
                @Override
                public String listenAddress() {
                    return "127.0.0.1:1194/udp";
                }

                @Override
                public List<InstanceInfo> instances() {
                    return List.of();
                }

                @Override
                public List<FlowEdge> flows() {
                    return List.of();
                }

                @Override
                public void kick(int peerId) {
                    // nothing connected
                }

                @Override
                public int pushUpdate(int peerId, String options) {
                    updates.add(options);
                    return 0;
                }

                @Override
                public void stop() {
                    stopped.countDown();
                }

                @Override
                public boolean awaitStopped(long millis) throws InterruptedException {
                    return stopped.await(millis, TimeUnit.MILLISECONDS);
                }
            };
        }
    }
}
