package io.culvert.engine.testkit;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.server.PasswordCheck;
import io.culvert.engine.server.ServerSession;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server end of a {@link SessionRig}: the {@link ScriptedServer} or our own {@link ServerSession}. The rig feeds it
 * what the client sent, runs its timer, and asks whether it has come up; what it sends goes through the rig's sink
 * (which records it and puts it on the pipe to the client). Not thread-safe.
 */
public sealed interface ServerEnd {
    /** Hands the end one packet from the client. */
    void receive(byte[] packet);

    /** Runs the end's timer. */
    void tick();

    /** Moves what the end queued onto the link (the scripted server queues; ours sends at once). */
    void flush();

    /**
     * Whether the end is up: ours once its data channel works; the scripted server follows the client's lead, so it
     * always is (the rig then waits for the client alone).
     */
    boolean established();

    /**
     * Whether the end is done: ours once it closed the session; the scripted server has no life of its own, so it
     * always is (the rig then stops when the client does).
     */
    boolean finished();

    /** What a failure message shows of this end. */
    String describe();

    /** The scripted OpenVPN server of the test kit, which queues its output until {@link #flush}. */
    final class Scripted implements ServerEnd {
        public final ScriptedServer server;
        private final Consumer<byte[]> sink;

        Scripted(ScriptedServer server, Consumer<byte[]> sink) {
            this.server = server;
            this.sink = sink;
        }

        @Override
        public void receive(byte[] packet) {
            server.onPacket(packet);
        }

        @Override
        public void tick() {
            server.tick();
        }

        @Override
        public void flush() {
            for (byte[] p : server.takeOutgoing()) {
                sink.accept(p);
            }
        }

        @Override
        public boolean established() {
            return true;
        }

        @Override
        public boolean finished() {
            return true;
        }

        @Override
        public String describe() {
            return "scripted server drops " + server.drops();
        }
    }

    /**
     * Our {@link ServerSession}, with its {@link ServerSession.Io} recording what it delivered, dropped, logged and
     * asked for: password checks and client-connect requests wait for the test to answer them.
     */
    final class Real implements ServerEnd, ServerSession.Io {
        /** Payloads the server delivered to its tun side, in order. */
        public final List<byte[]> delivered = new ArrayList<>();
        public final Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);
        public final List<String> logs = new ArrayList<>();
        /** Password checks the server started, in order; a test answers them with {@link ServerSession#passwordChecked}. */
        public final List<PasswordCheck.Request> passwordChecks = new ArrayList<>();
        /** When set, the server asks for client-connect; each request is counted in {@link #clientConnects}. */
        public boolean clientConnectScript;
        public int clientConnects;
        private final List<String> pushes;
        private final Consumer<byte[]> sink;
        private ServerSession session;

        Real(List<String> pushes, Consumer<byte[]> sink) {
            this.pushes = pushes;
            this.sink = sink;
        }

        void attach(ServerSession s) {
            session = s;
        }

        public ServerSession session() {
            return session;
        }

        @Override
        public void receive(byte[] packet) {
            session.onLink(packet, 0, packet.length);
        }

        @Override
        public void tick() {
            session.tick();
        }

        @Override
        public void flush() {}

        @Override
        public boolean established() {
            return session.established();
        }

        @Override
        public boolean finished() {
            return session.finished();
        }

        @Override
        public String describe() {
            return "server log " + logs;
        }

        @Override
        public void sendLink(ServerSession s, byte[] packet) {
            sink.accept(packet);
        }

        @Override
        public void deliver(ServerSession s, byte[] payload) {
            delivered.add(payload);
        }

        @Override
        public List<String> admit(ServerSession s) {
            return pushes;
        }

        @Override
        public void log(ServerSession s, String message) {
            logs.add(message);
        }

        @Override
        public void dropped(ServerSession s, DropReason reason) {
            drops.merge(reason, 1, Integer::sum);
        }

        @Override
        public boolean wantsClientConnect(ServerSession s) {
            return clientConnectScript;
        }

        @Override
        public void clientConnect(ServerSession s) {
            clientConnects++;
        }

        @Override
        public void checkPassword(ServerSession s, PasswordCheck.Request request) {
            passwordChecks.add(request);
        }
    }
}
