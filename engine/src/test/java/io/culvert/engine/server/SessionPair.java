package io.culvert.engine.server;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.client.ClientSession;
import io.culvert.engine.client.PushedConfig;
import io.culvert.engine.client.SessionIo;
import io.culvert.engine.client.SessionSettings;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import io.culvert.engine.testkit.ManualClock;
import io.culvert.engine.testkit.MemoryPki;
import io.culvert.engine.testkit.PacketPipe;
import io.culvert.engine.testkit.TwoPeerLink;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Our {@link ClientSession} and our {@link ServerSession} talking through two in-memory pipes, with a manual clock
 * as the only time source: the two-peer protocol test, without sockets. Not thread-safe.
 */
final class SessionPair {
    enum Wrap { NONE, TLS_AUTH, TLS_CRYPT, TLS_CRYPT_V2 }

    static final Duration STEP = TwoPeerLink.STEP;
    static final List<String> PUSHES = List.of("route-gateway 10.8.0.1", "topology subnet", "ping 10", "ping-restart 60",
            "ifconfig 10.8.0.2 255.255.255.0");

    static final TlsCryptV2ServerKey TLS_CRYPT_V2_SERVER = TlsCryptV2ServerKey.generate(new SecureRandom());
    static final TlsCryptV2ClientKey TLS_CRYPT_V2_CLIENT = TlsCryptV2ClientKey.create(TLS_CRYPT_V2_SERVER,
            StaticKey.generate(new SecureRandom()), new byte[] {1, 0, 0, 0, 0, 0x5f, 0, 0, 0});

    final ManualClock clock = new ManualClock();
    final MemoryPki pki = MemoryPki.shared();
    final PacketPipe toServer;
    final PacketPipe toClient;
    final ClientSession client;
    final ServerSession server;
    final List<byte[]> clientTun = new ArrayList<>();
    final List<byte[]> serverDelivered = new ArrayList<>();
    final List<ConnectionState> clientStates = new ArrayList<>();
    final Map<DropReason, Integer> clientDrops = new EnumMap<>(DropReason.class);
    final Map<DropReason, Integer> serverDrops = new EnumMap<>(DropReason.class);
    final List<String> serverLog = new ArrayList<>();
    PushedConfig pushed;
    /** The configurations PUSH_UPDATEs gave the client, in order. */
    final List<PushedConfig> updates = new ArrayList<>();
    private final TwoPeerLink link;

    /** Password checks the server started, in order; a test answers them with {@link ServerSession#passwordChecked}. */
    final List<PasswordCheck.Request> passwordChecks = new ArrayList<>();
    /** When set, the server asks for client-connect; each request is counted here and answered by the test. */
    boolean clientConnectScript;
    int clientConnects;

    SessionPair(Wrap wrap, long seed, List<String> clientCiphers, List<String> serverCiphers, int clientRenegSec, int serverRenegSec) {
        this(wrap, seed, clientCiphers, serverCiphers, clientRenegSec, serverRenegSec, null, ClientAuth.certificatesOnly(), true);
    }

    /**
     * A pair whose client may log in with {@code credentials} and may have no certificate, against a server with
     * the given {@code clientAuth}.
     */
    SessionPair(Wrap wrap, long seed, List<String> clientCiphers, List<String> serverCiphers, int clientRenegSec, int serverRenegSec,
            io.culvert.engine.api.UserPass credentials, ClientAuth clientAuth, boolean clientCertificate) {
        toServer = new PacketPipe(seed);
        toClient = new PacketPipe(seed * 31 + 7);
        ControlWrapSpec clientWrap = switch (wrap) {
            case NONE -> ControlWrapSpec.none();
            case TLS_AUTH -> ControlWrapSpec.tlsAuth(pki.tlsAuthKey(), KeyDirection.INVERSE, "SHA256");
            case TLS_CRYPT -> ControlWrapSpec.tlsCrypt(pki.tlsCryptKey());
            case TLS_CRYPT_V2 -> ControlWrapSpec.tlsCryptV2Client(TLS_CRYPT_V2_CLIENT);
        };
        ControlWrapSpec serverWrap = switch (wrap) {
            case NONE -> ControlWrapSpec.none();
            case TLS_AUTH -> ControlWrapSpec.tlsAuth(pki.tlsAuthKey(), KeyDirection.NORMAL, "SHA256");
            case TLS_CRYPT -> ControlWrapSpec.tlsCrypt(pki.tlsCryptKey());
            case TLS_CRYPT_V2 -> ControlWrapSpec.tlsCryptV2Server(TLS_CRYPT_V2_SERVER, 0);
        };
        io.culvert.engine.tls.TlsSettings clientTls = pki.clientTls();
        if (!clientCertificate) {
            clientTls = clientTls.toBuilder().identity(List.of(), null).build();
        }
        io.culvert.engine.tls.TlsSettings serverTls = pki.serverTls().toBuilder().clientCerts(clientAuth.certificates()).build();
        SessionSettings cs = SessionSettings.builder(clientTls).wrap(clientWrap).dataCiphers(clientCiphers)
                .credentials(credentials).renegSec(clientRenegSec).mssfix(io.culvert.engine.common.Mssfix.OFF)
                .explicitExitNotify(1).keyDirection(wrap == Wrap.TLS_AUTH ? 1 : null).tlsAuth(wrap == Wrap.TLS_AUTH)
                .build();
        ServerSettings ss = ServerSettings.builder(serverTls).wrap(serverWrap).dataCiphers(serverCiphers)
                .keepalive(10, 120).renegSec(serverRenegSec).explicitExitNotify(1).clientAuth(clientAuth).build();
        client = new ClientSession(cs, new ClientIo(), clock, new SecureRandom());
        server = new ServerSession(ss, new ServerIo(), clock, new SecureRandom(), 0, "memory");
        link = new TwoPeerLink(clock, toClient, p -> client.onLink(p, 0, p.length), toServer, p -> server.onLink(p, 0, p.length),
                () -> {
                    client.tick();
                    server.tick();
                }, () -> { });
    }

    SessionPair(Wrap wrap) {
        this(wrap, 1, List.of("AES-256-GCM", "CHACHA20-POLY1305"), List.of("AES-256-GCM", "AES-128-GCM"), 0, 0);
    }

    SessionPair start() {
        try {
            client.start();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
        pump();
        return this;
    }

    void pump() {
        link.pump();
    }

    void step(Duration d) {
        link.step(d);
    }

    boolean runUntil(BooleanSupplier done, Duration limit) {
        return link.runUntil(done, () -> false, limit);
    }

    SessionPair connected() {
        start();
        if (!runUntil(() -> client.connected() && server.established(), Duration.ofSeconds(30))) {
            throw new AssertionError("not connected: client " + client.failure() + " " + client.failureDetail()
                    + ", server log " + serverLog);
        }
        return this;
    }

    private final class ClientIo implements SessionIo {
        @Override
        public void sendLink(byte[] packet) {
            toServer.send(packet);
        }

        @Override
        public void writeTun(byte[] buf, int off, int len) {
            clientTun.add(java.util.Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void configureTunnel(PushedConfig config, String cipher, String tlsDescription) {
            pushed = config;
        }

        @Override
        public void updateTunnel(PushedConfig previous, PushedConfig next, List<String> changes) {
            updates.add(next);
        }

        @Override
        public void state(ConnectionState state, String detail) {
            clientStates.add(state);
        }

        @Override
        public void log(EngineEvent.Level level, String message) {}

        @Override
        public void dropped(DropReason reason) {
            clientDrops.merge(reason, 1, Integer::sum);
        }
    }

    private final class ServerIo implements ServerSession.Io {
        @Override
        public void sendLink(ServerSession session, byte[] packet) {
            toClient.send(packet);
        }

        @Override
        public void deliver(ServerSession session, byte[] payload) {
            serverDelivered.add(payload);
        }

        @Override
        public List<String> admit(ServerSession session) {
            return PUSHES;
        }

        @Override
        public void log(ServerSession session, String message) {
            serverLog.add(message);
        }

        @Override
        public void dropped(ServerSession session, DropReason reason) {
            serverDrops.merge(reason, 1, Integer::sum);
        }

        @Override
        public boolean wantsClientConnect(ServerSession session) {
            return clientConnectScript;
        }

        @Override
        public void clientConnect(ServerSession session) {
            clientConnects++;
        }

        @Override
        public void checkPassword(ServerSession session, PasswordCheck.Request request) {
            passwordChecks.add(request);
        }
    }
}
