package io.culvert.engine.remote;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.daemon.protocol.Operation;
import io.culvert.engine.daemon.protocol.Result;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server running in culvertd. {@link #instances()} and {@link #flows()} each ask the service for a fresh
 * snapshot (one round trip); when the service cannot answer they return empty lists and log why. Thread-safe.
 */
final class RemoteServerHandle implements ServerHandle, RemoteEngine.Remote {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteServerHandle.class);
    private final RemoteEngine engine;
    private final String id;
    private final String listenAddress;
    private final EngineListener listener;
    private final CountDownLatch stopped = new CountDownLatch(1);

    RemoteServerHandle(RemoteEngine engine, String id, String listenAddress, EngineListener listener) {
        this.engine = engine;
        this.id = id;
        this.listenAddress = listenAddress;
        this.listener = listener;
    }

    public String id() {
        return id;
    }

    @Override
    public void onEvent(EngineEvent event) {
        listener.onEvent(event);
    }

    @Override
    public void onStopped() {
        stopped.countDown();
    }

    @Override
    public CredentialsProvider credentials() {
        return prompt -> Optional.empty();
    }

    @Override
    public String listenAddress() {
        return listenAddress;
    }

    @Override
    public List<InstanceInfo> instances() {
        try {
            return status().instances();
        } catch (EngineException e) {
            LOG.warn("server {}: no instance snapshot: {}", id, e.getMessage());
            return List.of();
        }
    }

    @Override
    public List<FlowEdge> flows() {
        try {
            return status().flows();
        } catch (EngineException e) {
            LOG.warn("server {}: no flow snapshot: {}", id, e.getMessage());
            return List.of();
        }
    }

    private Result.ServerStatus status() throws EngineException {
        return (Result.ServerStatus) engine.call(new Operation.ServerStatus(id));
    }

    @Override
    public void kick(int peerId) {
        engine.callAsync(new Operation.Kick(id, peerId));
    }

    /** Asks the service to send the update from the server it hosts; waits for the count. */
    @Override
    public int pushUpdate(int peerId, String options) throws EngineException {
        Operation.PushUpdate push = new Operation.PushUpdate(id, peerId, options == null ? "" : options);
        RemoteEngine.checkSize(push, "the update");
        return ((Result.Sent) engine.call(push)).count();
    }

    /** Sends the update to the service's copy of the server's files and waits for it to be written. */
    @Override
    public void updateFiles(ServerFileUpdate update) throws EngineException {
        if (update.isEmpty()) {
            return;
        }
        Operation.UpdateServerFiles op = new Operation.UpdateServerFiles(id, update);
        RemoteEngine.checkSize(op, "the server's new files");
        engine.call(op);
    }

    @Override
    public void stop() {
        engine.callAsync(new Operation.StopServer(id));
    }

    @Override
    public boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }
}
