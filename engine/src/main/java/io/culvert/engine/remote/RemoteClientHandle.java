package io.culvert.engine.remote;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.daemon.protocol.Operation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A client tunnel running in culvertd. State, connection details and counters are kept from the event stream, so
 * reading them costs no round trip. Thread-safe.
 */
final class RemoteClientHandle implements ClientHandle, RemoteEngine.Remote {
    private final RemoteEngine engine;
    private final String id;
    private final EngineListener listener;
    private final CredentialsProvider credentials;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ConnectionState state;
    private volatile ConnectionInfo info;
    private volatile TrafficStats stats = TrafficStats.NONE;

    RemoteClientHandle(RemoteEngine engine, String id, ConnectionState initial, EngineListener listener, CredentialsProvider credentials) {
        this.engine = engine;
        this.id = id;
        this.state = initial;
        this.listener = listener;
        this.credentials = credentials;
    }

    /** The service's id for this handle. */
    public String id() {
        return id;
    }

    @Override
    public void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.StateChanged s -> {
                state = s.state();
                if (s.state() != ConnectionState.CONNECTED) {
                    info = null;
                }
            }
            case EngineEvent.Connected c -> info = c.info();
            case EngineEvent.Traffic t -> stats = t.stats();
            default -> { }
        }
        listener.onEvent(event);
    }

    @Override
    public void onStopped() {
        state = ConnectionState.DISCONNECTED;
        stopped.countDown();
    }

    @Override
    public CredentialsProvider credentials() {
        return credentials;
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public ConnectionInfo connectionInfo() {
        return info;
    }

    @Override
    public TrafficStats stats() {
        return stats;
    }

    @Override
    public void disconnect() {
        engine.callAsync(new Operation.Disconnect(id));
    }

    @Override
    public boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }
}
