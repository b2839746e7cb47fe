package io.culvert.engine.testkit;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.client.ClientSession;
import io.culvert.engine.client.SessionSettings;
import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import io.culvert.engine.server.ClientAuth;
import io.culvert.engine.server.ServerSession;
import io.culvert.engine.server.ServerSettings;
import io.culvert.engine.tls.TlsSettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The two-peer session test without sockets: our {@link ClientSession} against a {@link ServerEnd} (the
 * {@link ScriptedServer}, or our own {@link ServerSession}) through two in-memory {@link PacketPipe}s, run by one
 * pump loop with a {@link ManualClock} as the only time source. The client's doings are recorded in
 * {@link #io}, every packet the server end sent in {@link #serverSent}. Build one with {@link #with}, or take the
 * defaults with {@link #againstScript} and {@link #againstServer}. Not thread-safe.
 */
public final class SessionRig {
    /** Control-channel protection for both ends. */
    public enum Wrap {
        /** No wrapping. */
        NONE,
        /** tls-auth with SHA256; client key direction 1, server 0. */
        TLS_AUTH,
        /** tls-crypt v1. */
        TLS_CRYPT,
        /** tls-crypt-v2 (our server only). */
        TLS_CRYPT_V2
    }

    /** The client's data-ciphers unless a test sets others. */
    public static final List<String> DATA_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305");
    /** What our server pushes. */
    public static final List<String> PUSHES = List.of("route-gateway 10.8.0.1", "topology subnet", "ping 10", "ping-restart 60",
            "ifconfig 10.8.0.2 255.255.255.0");
    /** The clock step of {@link #runUntil}. */
    public static final Duration STEP = Duration.ofMillis(250);

    private static final TlsCryptV2ServerKey TLS_CRYPT_V2_SERVER = TlsCryptV2ServerKey.generate(new SecureRandom());
    private static final TlsCryptV2ClientKey TLS_CRYPT_V2_CLIENT = TlsCryptV2ClientKey.create(TLS_CRYPT_V2_SERVER,
            StaticKey.generate(new SecureRandom()), new byte[] {1, 0, 0, 0, 0, 0x5f, 0, 0, 0});

    public final ManualClock clock = new ManualClock();
    public final MemoryPki pki = MemoryPki.shared();
    public final PacketPipe toServer;
    public final PacketPipe toClient;
    /** What the client sent, delivered to its tun, reported and dropped. */
    public final RecordingSessionIo io;
    public final SessionSettings settings;
    public final ClientSession session;
    /** Every packet the server end sent, in order (a corpus for replays and mutations). */
    public final List<byte[]> serverSent = new ArrayList<>();
    public final ServerEnd end;

    private SessionRig(Builder b, boolean scripted) {
        toServer = new PacketPipe(b.seed);
        toClient = new PacketPipe(b.seed * 31 + 7);
        io = new RecordingSessionIo(toServer::send);
        settings = b.settings.apply(b.clientSettings(pki));
        session = new ClientSession(settings, io, clock, new SecureRandom());
        io.publishedKeys = () -> session.dataPlane().keys();
        if (scripted) {
            ServerScript base = switch (b.wrap) {
                case NONE -> ServerScript.none(pki);
                case TLS_AUTH -> ServerScript.tlsAuth(pki);
                case TLS_CRYPT -> ServerScript.tlsCrypt(pki);
                case TLS_CRYPT_V2 -> throw new IllegalArgumentException("the scripted server has no tls-crypt-v2");
            };
            end = new ServerEnd.Scripted(new ScriptedServer(b.script.apply(base), clock, new SecureRandom()), this::serverSends);
        } else {
            ServerEnd.Real real = new ServerEnd.Real(PUSHES, this::serverSends);
            real.attach(new ServerSession(b.serverSettings(pki), real, clock, new SecureRandom(), 0, "memory"));
            end = real;
        }
    }

    /** A builder for a rig with {@code wrap} on both ends. */
    public static Builder with(Wrap wrap) {
        return new Builder(wrap);
    }

    /** Our client with default settings against the scripted server's default script. */
    public static SessionRig againstScript(Wrap wrap) {
        return with(wrap).againstScript();
    }

    /** Our client and our server with default settings. */
    public static SessionRig againstServer(Wrap wrap) {
        return with(wrap).againstServer();
    }

    private void serverSends(byte[] packet) {
        serverSent.add(packet.clone());
        toClient.send(packet);
    }

    /** The scripted server; fails if the server end is ours. */
    public ScriptedServer scripted() {
        if (end instanceof ServerEnd.Scripted s) {
            return s.server;
        }
        throw new IllegalStateException("this rig runs our server");
    }

    /** Our server end with its recordings; fails if the server end is scripted. */
    public ServerEnd.Real real() {
        if (end instanceof ServerEnd.Real r) {
            return r;
        }
        throw new IllegalStateException("this rig runs the scripted server");
    }

    /** Our server session; fails if the server end is scripted. */
    public ServerSession server() {
        return real().session();
    }

    /** Starts the client and delivers packets until both sides are quiet. */
    public SessionRig start() {
        try {
            session.start();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
        pump();
        return this;
    }

    /** Delivers packets back and forth until no packet is in flight (lost packets wait for a retransmit). */
    public void pump() {
        for (int round = 0; round < 10_000; round++) {
            end.flush();
            if (toServer.idle() && toClient.idle()) {
                return;
            }
            for (byte[] p : toServer.drain()) {
                end.receive(p);
            }
            for (byte[] p : toClient.drain()) {
                session.onLink(p, 0, p.length);
            }
        }
        throw new AssertionError("link never went quiet");
    }

    /** Moves the clock by {@code d}, runs both sides' timers and delivers what they send. */
    public void step(Duration d) {
        clock.advance(d);
        session.tick();
        end.tick();
        pump();
    }

    /**
     * Steps the clock until {@code done} holds, both ends are finished, or {@code limit} of simulated time has passed;
     * returns whether {@code done} holds.
     */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        long deadline = clock.millis() + limit.toMillis();
        pump();
        while (!done.getAsBoolean()) {
            if (clock.millis() >= deadline || session.finished() && end.finished()) {
                return done.getAsBoolean();
            }
            step(STEP);
        }
        return true;
    }

    /** Starts and runs until both ends are up (or finished), with up to {@code limit} of simulated time. */
    public boolean connect(Duration limit) {
        start();
        return runUntil(() -> session.connected() && end.established(), limit);
    }

    /** Connects over the current link or fails the test. */
    public SessionRig connected() {
        if (!connect(Duration.ofSeconds(30))) {
            throw new AssertionError("not connected: client " + session.failure() + " " + session.failureDetail() + " " + io.logs
                    + ", " + end.describe());
        }
        return this;
    }

    /** A 60-byte IPv4/UDP-looking packet whose payload carries {@code n}. */
    public static byte[] ipPacket(int n) {
        byte[] p = new byte[60];
        p[0] = 0x45;
        p[3] = 60;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10;
        p[15] = 2;
        p[16] = 10;
        p[19] = 1;
        for (int i = 32; i < 60; i++) {
            p[i] = (byte) (n * 31 + i);
        }
        p[28] = (byte) (n >>> 24);
        p[29] = (byte) (n >>> 16);
        p[30] = (byte) (n >>> 8);
        p[31] = (byte) n;
        return p;
    }

    /** Sends one packet client→server through the client's tun side and delivers it. */
    public void clientTun(byte[] packet) {
        session.onTun(packet.clone(), 0, packet.length);
        pump();
    }

    /** Sends one packet server→client through the server's tun side and delivers it. */
    public void serverTun(byte[] packet) {
        switch (end) {
            case ServerEnd.Scripted s -> s.server.sendData(packet);
            case ServerEnd.Real r -> r.session().sendData(packet.clone(), 0, packet.length);
        }
        pump();
    }

    /** The settings of a rig; every one has a default. */
    public static final class Builder {
        private final Wrap wrap;
        private long seed = 1;
        private UnaryOperator<ServerScript> script = s -> s;
        private UnaryOperator<SessionSettings> settings = s -> s;
        private List<String> clientCiphers = DATA_CIPHERS;
        private List<String> serverCiphers = List.of("AES-256-GCM", "AES-128-GCM");
        private Integer clientRenegSec;
        private Integer serverRenegSec;
        private UserPass credentials;
        private ClientAuth clientAuth = ClientAuth.certificatesOnly();
        private boolean clientCertificate = true;

        private Builder(Wrap wrap) {
            this.wrap = wrap;
        }

        /** Seeds the pipes' impairments. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Changes the scripted server's script. */
        public Builder script(UnaryOperator<ServerScript> change) {
            script = change;
            return this;
        }

        /** Changes the client's settings last, after everything else here. */
        public Builder settings(UnaryOperator<SessionSettings> change) {
            settings = change;
            return this;
        }

        public Builder clientCiphers(List<String> ciphers) {
            clientCiphers = ciphers;
            return this;
        }

        /** Our server's data-ciphers. */
        public Builder serverCiphers(List<String> ciphers) {
            serverCiphers = ciphers;
            return this;
        }

        public Builder clientRenegSec(int seconds) {
            clientRenegSec = seconds;
            return this;
        }

        /** Our server's reneg-sec. */
        public Builder serverRenegSec(int seconds) {
            serverRenegSec = seconds;
            return this;
        }

        /** The username and password the client logs in with. */
        public Builder credentials(UserPass c) {
            credentials = c;
            return this;
        }

        /** How our server checks its clients. */
        public Builder clientAuth(ClientAuth auth) {
            clientAuth = auth;
            return this;
        }

        /** The client offers no certificate. */
        public Builder noClientCertificate() {
            clientCertificate = false;
            return this;
        }

        /** Our client against the scripted server. */
        public SessionRig againstScript() {
            return new SessionRig(this, true);
        }

        /** Our client against our server. */
        public SessionRig againstServer() {
            return new SessionRig(this, false);
        }

        private SessionSettings clientSettings(MemoryPki pki) {
            TlsSettings tls = clientCertificate ? pki.clientTls() : pki.clientTls().toBuilder().identity(List.of(), null).build();
            SessionSettings.Builder b = SessionSettings.builder(tls).wrap(wrapSpec(pki, true)).dataCiphers(clientCiphers).credentials(credentials)
                    .mssfix(Mssfix.OFF).explicitExitNotify(1).keyDirection(wrap == Wrap.TLS_AUTH ? 1 : null)
                    .tlsAuth(wrap == Wrap.TLS_AUTH);
            if (clientRenegSec != null) {
                b.renegSec(clientRenegSec);
            }
            return b.build();
        }

        /** The control-channel protection of the client's end, or of the server's. */
        private ControlWrapSpec wrapSpec(MemoryPki pki, boolean client) {
            return switch (wrap) {
                case NONE -> ControlWrapSpec.none();
                case TLS_AUTH -> ControlWrapSpec.tlsAuth(pki.tlsAuthKey(), client ? KeyDirection.INVERSE : KeyDirection.NORMAL, "SHA256");
                case TLS_CRYPT -> ControlWrapSpec.tlsCrypt(pki.tlsCryptKey());
                case TLS_CRYPT_V2 -> client ? ControlWrapSpec.tlsCryptV2Client(TLS_CRYPT_V2_CLIENT)
                        : ControlWrapSpec.tlsCryptV2Server(TLS_CRYPT_V2_SERVER, 0);
            };
        }

        private ServerSettings serverSettings(MemoryPki pki) {
            TlsSettings tls = pki.serverTls().toBuilder().clientCerts(clientAuth.certificates()).build();
            ServerSettings.Builder b = ServerSettings.builder(tls).wrap(wrapSpec(pki, false)).dataCiphers(serverCiphers).keepalive(10, 120)
                    .explicitExitNotify(1).clientAuth(clientAuth);
            if (serverRenegSec != null) {
                b.renegSec(serverRenegSec);
            }
            return b.build();
        }
    }
}
