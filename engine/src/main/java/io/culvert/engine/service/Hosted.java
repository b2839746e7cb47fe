package io.culvert.engine.service;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.daemon.protocol.Result;
import io.culvert.engine.daemon.protocol.ToClient;
import java.util.ArrayList;
import java.util.List;

/**
 * One client or server the service runs, with the account that owns it. Events published before the start
 * response went out are held back, so a caller always learns the handle's id before its first event.
 * Thread-safe.
 */
final class Hosted {
    private final String id;
    private final Result.Kind kind;
    private final Account owner;
    private volatile ClientHandle client;
    private volatile ServerHandle server;
    private volatile Connection promptTarget;
    private volatile ServerFolder folder;
    private final long startRequest;
    private List<ToClient> held = new ArrayList<>();

    Hosted(String id, Result.Kind kind, Account owner, Connection starter, long startRequest) {
        this.startRequest = startRequest;
        this.id = id;
        this.kind = kind;
        this.owner = owner;
        this.promptTarget = starter;
    }

    String id() {
        return id;
    }

    /** The id of the request that started it, on the starter's connection (prompts name it until the id is known). */
    long startRequest() {
        return startRequest;
    }

    Result.Kind kind() {
        return kind;
    }

    Account owner() {
        return owner;
    }

    ClientHandle client() {
        return client;
    }

    void client(ClientHandle h) {
        client = h;
    }

    ServerHandle server() {
        return server;
    }

    void server(ServerHandle h) {
        server = h;
    }

    /** The server's state folder, or null (clients, or a server not started yet). */
    ServerFolder folder() {
        return folder;
    }

    void folder(ServerFolder f) {
        folder = f;
    }

    /** The connection that answers credential prompts; null once it closed. */
    Connection promptTarget() {
        return promptTarget;
    }

    void promptTarget(Connection c) {
        promptTarget = c;
    }

    /** Holds {@code message} if the handle is not announced yet; false when it should go out now. */
    synchronized boolean holdIfUnannounced(ToClient message) {
        if (held == null) {
            return false;
        }
        held.add(message);
        return true;
    }

    /** Marks the handle announced and returns what was held back. */
    synchronized List<ToClient> announce() {
        List<ToClient> out = held == null ? List.of() : held;
        held = null;
        return out;
    }
}
