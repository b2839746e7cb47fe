package io.culvert.engine.api;

import java.nio.file.Path;

/**
 * What the app (or a service client) asks of the engine. Implemented in-process by
 * {@code io.culvert.engine.local.LocalEngine}, and over culvertd's socket by {@code io.culvert.engine.remote.RemoteEngine}. Every method may
 * be called from any thread; long work happens on the engine's own threads.
 */
public interface Engine {

    /**
     * Starts a client for a profile and returns at once; progress arrives as events.
     *
     * @param profileText the .ovpn text
     * @param baseDir folder against which file references in the profile resolve
     */
    ClientHandle startClient(String profileText, Path baseDir, EngineListener listener, CredentialsProvider credentials)
            throws EngineException;

    /**
     * Starts a server for a server config and returns once it listens (or fails).
     *
     * @param configText the server config text
     * @param baseDir folder against which file references resolve
     */
    ServerHandle startServer(String configText, Path baseDir, EngineListener listener) throws EngineException;
}
