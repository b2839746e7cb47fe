package io.culvert.engine.remote;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.service.protocol.Fields;
import io.culvert.engine.service.protocol.JsonException;
import io.culvert.engine.service.protocol.Protocol;
import io.culvert.engine.service.protocol.Wire;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            return Wire.instances(Fields.list(status(), "instances"));
        } catch (EngineException | JsonException e) {
            LOG.warn("server {}: no instance snapshot: {}", id, e.getMessage());
            return List.of();
        }
    }

    @Override
    public List<FlowEdge> flows() {
        try {
            return Wire.flows(Fields.list(status(), "flows"));
        } catch (EngineException | JsonException e) {
            LOG.warn("server {}: no flow snapshot: {}", id, e.getMessage());
            return List.of();
        }
    }

    private Map<String, Object> status() throws EngineException {
        return engine.call(Protocol.OP_SERVER_STATUS, Map.of("handle", id));
    }

    @Override
    public void kick(int peerId) {
        engine.callAsync(Protocol.OP_KICK, Map.of("handle", id, "peerId", (long) peerId));
    }

    /** Asks the service to send the update from the server it hosts; waits for the count. */
    @Override
    public int pushUpdate(int peerId, String options) throws EngineException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("handle", id);
        args.put("peerId", (long) peerId);
        args.put("options", options == null ? "" : options);
        RemoteEngine.checkSize(args, "the update");
        Map<String, Object> result = engine.call(Protocol.OP_PUSH_UPDATE, args);
        try {
            return Fields.integer(result, "sent");
        } catch (JsonException e) {
            throw new EngineException(io.culvert.engine.api.ErrorKind.INTERNAL, "culvertd answered pushUpdate without a count", e);
        }
    }

    /** Sends the update to the service's copy of the server's files and waits for it to be written. */
    @Override
    public void updateFiles(ServerFileUpdate update) throws EngineException {
        if (update.isEmpty()) {
            return;
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("handle", id);
        if (update.crlPem() != null) {
            args.put("crl", update.crlPem());
        }
        if (!update.ccd().isEmpty()) {
            args.put("ccd", new LinkedHashMap<String, Object>(update.ccd()));
        }
        if (!update.ccdRemoved().isEmpty()) {
            args.put("ccdRemoved", List.<Object>copyOf(update.ccdRemoved()));
        }
        RemoteEngine.checkSize(args, "the server's new files");
        engine.call(Protocol.OP_UPDATE_SERVER_FILES, args);
    }

    @Override
    public void stop() {
        engine.callAsync(Protocol.OP_STOP_SERVER, Map.of("handle", id));
    }

    @Override
    public boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }
}
