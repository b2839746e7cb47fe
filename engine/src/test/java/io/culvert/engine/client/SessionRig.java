package io.culvert.engine.client;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.testkit.ManualClock;
import io.culvert.engine.testkit.MemoryPki;
import io.culvert.engine.testkit.PacketPipe;
import io.culvert.engine.testkit.ScriptedServer;
import io.culvert.engine.testkit.ServerScript;
import io.culvert.engine.testkit.TwoPeerLink;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A {@link ClientSession} wired to a {@link ScriptedServer} through two in-memory {@link PacketPipe}s, with a
 * {@link ManualClock} as the only time source. Not thread-safe.
 */
final class SessionRig {
    /** Control-channel protection for both ends. */
    enum Wrap {
        /** No wrapping. */
        NONE,
        /** tls-auth with SHA256; client key direction 1, server 0. */
        TLS_AUTH,
        /** tls-crypt v1. */
        TLS_CRYPT
    }

    static final List<String> DATA_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305");
    static final Duration STEP = TwoPeerLink.STEP;

    final ManualClock clock = new ManualClock();
    final MemoryPki pki = MemoryPki.shared();
    final PacketPipe toServer;
    final PacketPipe toClient;
    final RecordingSessionIo io;
    final ScriptedServer server;
    final ClientSession session;
    final SessionSettings settings;
    /** Every packet the server sent, in order (a corpus for replays and mutations). */
    final List<byte[]> serverSent = new java.util.ArrayList<>();
    private final TwoPeerLink link;

    SessionRig(Wrap wrap, long seed, UnaryOperator<ServerScript> script, UnaryOperator<SessionSettings> settingsChange) {
        toServer = new PacketPipe(seed);
        toClient = new PacketPipe(seed * 31 + 7);
        io = new RecordingSessionIo(toServer::send);
        ServerScript base = switch (wrap) {
            case NONE -> ServerScript.none(pki);
            case TLS_AUTH -> ServerScript.tlsAuth(pki);
            case TLS_CRYPT -> ServerScript.tlsCrypt(pki);
        };
        server = new ScriptedServer(script.apply(base), clock, new SecureRandom());
        settings = settingsChange.apply(clientSettings(wrap, pki));
        session = new ClientSession(settings, io, clock, new SecureRandom());
        io.publishedKeys = () -> session.dataPlane().keys();
        link = new TwoPeerLink(clock, toClient, p -> session.onLink(p, 0, p.length), toServer, p -> server.onPacket(p), () -> {
            session.tick();
            server.tick();
        }, () -> {
            for (byte[] p : server.takeOutgoing()) {
                serverSent.add(p);
                toClient.send(p);
            }
        });
    }

    SessionRig(Wrap wrap) {
        this(wrap, 1, s -> s, s -> s);
    }

    SessionRig(Wrap wrap, UnaryOperator<ServerScript> script) {
        this(wrap, 1, script, s -> s);
    }

    static SessionSettings clientSettings(Wrap wrap, MemoryPki pki) {
        ControlWrapSpec spec = switch (wrap) {
            case NONE -> ControlWrapSpec.none();
            case TLS_AUTH -> ControlWrapSpec.tlsAuth(pki.tlsAuthKey(), KeyDirection.INVERSE, "SHA256");
            case TLS_CRYPT -> ControlWrapSpec.tlsCrypt(pki.tlsCryptKey());
        };
        return SessionSettings.builder(pki.clientTls()).wrap(spec).dataCiphers(DATA_CIPHERS).mssfix(Mssfix.OFF)
                .explicitExitNotify(1).keyDirection(wrap == Wrap.TLS_AUTH ? 1 : null).tlsAuth(wrap == Wrap.TLS_AUTH)
                .build();
    }

    /** Copy of {@code s} with another reneg-sec. */
    static SessionSettings renegSec(SessionSettings s, int seconds) {
        return s.toBuilder().renegSec(seconds).build();
    }

    /** Copy of {@code s} with other data-ciphers. */
    static SessionSettings dataCiphers(SessionSettings s, List<String> ciphers) {
        return s.toBuilder().dataCiphers(ciphers).build();
    }

    /** Starts the session and delivers packets until both sides are quiet. */
    SessionRig start() {
        try {
            session.start();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
        pump();
        return this;
    }

    /** Delivers packets back and forth until no packet is in flight (lost packets wait for a retransmit). */
    void pump() {
        link.pump();
    }

    /** Moves the clock by {@code d}, runs both sides' timers and delivers what they send. */
    void step(Duration d) {
        link.step(d);
    }

    /** Steps the clock until {@code done} holds or {@code limit} of simulated time has passed; returns whether it holds. */
    boolean runUntil(BooleanSupplier done, Duration limit) {
        return link.runUntil(done, session::finished, limit);
    }

    /** Starts and runs until connected (or finished), with up to {@code limit} of simulated time. */
    boolean connect(Duration limit) {
        start();
        return runUntil(session::connected, limit);
    }

    /** Connects over the current link or fails the test. */
    SessionRig connected() {
        if (!connect(Duration.ofSeconds(30))) {
            throw new AssertionError("not connected: " + session.failure() + " " + session.failureDetail() + " " + io.logs);
        }
        return this;
    }

    /** A 60-byte IPv4/UDP-looking packet whose payload carries {@code n}. */
    static byte[] ipPacket(int n) {
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

    /** Sends one packet client→server through the tun side and delivers it. */
    void clientTun(byte[] packet) {
        session.onTun(packet.clone(), 0, packet.length);
        pump();
    }

    /** Sends one packet server→client and delivers it. */
    void serverTun(byte[] packet) {
        server.sendData(packet);
        pump();
    }
}
