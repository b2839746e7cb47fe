package io.culvert.engine.testkit;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.client.PushedConfig;
import io.culvert.engine.client.SessionIo;
import io.culvert.engine.common.DropReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@link SessionIo} that records everything a session does and forwards link packets to a sink.
 * {@link #events} interleaves states and tunnel configuration so tests can check their order. Not thread-safe.
 */
public final class RecordingSessionIo implements SessionIo {
    public record Configured(PushedConfig config, String cipher, String tls) {}

    private final Consumer<byte[]> linkSink;
    public final List<byte[]> sent = new ArrayList<>();
    public final List<byte[]> tunWrites = new ArrayList<>();
    public final List<Configured> configured = new ArrayList<>();
    public final List<ConnectionState> states = new ArrayList<>();
    public final List<String> events = new ArrayList<>();
    public final List<String> logs = new ArrayList<>();
    /** The configurations PUSH_UPDATEs produced, in order. */
    public final List<PushedConfig> updates = new ArrayList<>();
    public final Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);
    /** Reads the session's published key set; set by the rig once the session exists. */
    public java.util.function.Supplier<io.culvert.engine.session.DataPlane.Keys> publishedKeys = () -> null;
    /** What the data threads had when the tunnel was configured (the moment "Initialization Sequence Completed"). */
    public io.culvert.engine.session.DataPlane.Keys keysAtConfigure;

    public RecordingSessionIo(Consumer<byte[]> linkSink) {
        this.linkSink = linkSink;
    }

    @Override
    public void sendLink(byte[] packet) {
        sent.add(packet.clone());
        linkSink.accept(packet);
    }

    @Override
    public void writeTun(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        tunWrites.add(copy);
    }

    @Override
    public void configureTunnel(PushedConfig config, String cipher, String tlsDescription) throws EngineException {
        keysAtConfigure = publishedKeys.get();
        configured.add(new Configured(config, cipher, tlsDescription));
        events.add("configureTunnel");
    }

    @Override
    public void updateTunnel(PushedConfig previous, PushedConfig next, List<String> changes) {
        events.add("updateTunnel");
        updates.add(next);
    }

    @Override
    public void state(ConnectionState state, String detail) {
        states.add(state);
        events.add(state.name());
    }

    @Override
    public void log(EngineEvent.Level level, String message) {
        logs.add(level + " " + message);
    }

    @Override
    public void dropped(DropReason reason) {
        drops.merge(reason, 1, Integer::sum);
    }

    public int drops(DropReason reason) {
        return drops.getOrDefault(reason, 0);
    }

    public int totalDrops() {
        return drops.values().stream().mapToInt(Integer::intValue).sum();
    }
}
