package io.culvert.engine.api;

import java.util.List;

/** A running demo network (see {@link DemoEngine}). Thread-safe. */
public interface Demo {
    /** The demo's server, to watch (instances, flows) and to kick its clients. */
    ServerHandle server();

    /** Common names of the demo's clients, in the order they were started. */
    List<String> clientNames();

    /**
     * Makes one client flood broadcasts (on) or calm down (off). Without a call the demo floods for a few seconds
     * every half minute on its own.
     */
    void storm(boolean on);

    /** Stops the traffic, the clients and the server; returns once they are down (or after a few seconds). */
    void stop();
}
