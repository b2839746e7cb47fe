package io.culvert.engine.api;

import java.util.List;
import java.util.Optional;

/**
 * Administers the servers the app manages: creates them with their CA, starts and stops them, issues and
 * revokes client certificates and exports client profiles. Implemented in-process by
 * {@code io.culvert.engine.serveradmin.LocalServerAdmin}. Thread-safe; every method may block on disk or key
 * generation, so call it off the UI thread.
 */
public interface ServerAdmin extends AutoCloseable {

    /** Creates the CA, the server certificate and the config, and stores the server; CONFIG_INVALID if the name is taken. */
    ServerSpec create(ServerSpec spec) throws EngineException;

    /** Every stored server, by name. */
    List<ServerSpec> servers() throws EngineException;

    /** Stops the server if it runs and deletes it with its CA and certificates. */
    void delete(String server) throws EngineException;

    /**
     * Saves new settings for the server ({@code spec.name()} must be its name; rename with {@link #rename}). A running
     * server whose config changes is restarted. The CA and client certificates stay; the result says which changes
     * make clients import a fresh profile.
     */
    ServerEdit edit(ServerSpec spec) throws EngineException;

    /** Renames the server, moving its folder, CA, certificates and ccd entries; a running server runs on under the new name. */
    ServerSpec rename(String server, String newName) throws EngineException;

    /**
     * One passphrase-encrypted file holding everything the server needs on another machine: settings, CA certificate
     * and key, server and client certificates, CRL, ccd entries, the tls-crypt key and any other file in its folder.
     * Contains private keys: save it 0600.
     */
    byte[] backup(String server, char[] passphrase) throws EngineException;

    /**
     * Recreates a server from {@link #backup}'s file, under {@code asName} or, when null, under the name it was backed
     * up with, so that profiles exported before the backup connect unchanged. A wrong passphrase, a changed file or a
     * name already taken is CONFIG_INVALID and changes nothing.
     */
    ServerSpec restore(byte[] backup, char[] passphrase, String asName) throws EngineException;

    /** Starts the stored server through {@link Engine#startServer}; events go to {@code listener} and {@link #log}. */
    ServerHandle start(String server, EngineListener listener) throws EngineException;

    /** The running server started by {@link #start}, if it still runs. */
    Optional<ServerHandle> running(String server);

    /** Stops the server and waits (briefly) until it has; no-op when it does not run. */
    void stop(String server) throws EngineException;

    /** The server's most recent log lines (starts, stops, clients joining and leaving), oldest first. */
    List<String> log(String server);

    /** Issues a client certificate and key for {@code commonName}; CONFIG_INVALID if it already holds a valid one. */
    ClientCertificate issueClient(String server, String commonName) throws EngineException;

    /** Every client certificate of the server, oldest first, revoked ones included. */
    List<ClientCertificate> clients(String server) throws EngineException;

    /** The client's static address and routes (its client-config-dir entry); {@link ClientNetwork#NONE} when unset. */
    ClientNetwork clientNetwork(String server, String commonName) throws EngineException;

    /**
     * Sets the client's static address and routes. The address and iroutes apply from its next connection; a connected
     * client that announced PUSH_UPDATE support (OpenVPN 2.7, Culvert) gets its pushed routes at once. Returns the ccd
     * text written.
     */
    String setClientNetwork(String server, String commonName, ClientNetwork network) throws EngineException;

    /** A unified .ovpn profile for the client (contains its private key: save it 0600, never log it). */
    String exportProfile(String server, String commonName) throws EngineException;

    /** Revokes the client's certificates and rewrites the CRL; a running server disconnects the client at once. */
    ClientCertificate revoke(String server, String commonName) throws EngineException;

    /** Stops every running server and releases the store. */
    @Override
    void close();
}
