package io.culvert.engine.api;

import java.util.List;

/**
 * A fleet of Culvert servers on one PostgreSQL database, as an admin machine manages it (issue 15): the servers with
 * their health and live state, and the fleet's client certificates, issued and revoked once for every server. The
 * fleet CA's private key stays on this machine (ADR 0054); the database holds only the CA certificate, the issued
 * certificates and the revocations. Implemented by {@code io.culvert.engine.fleetadmin.LocalFleets}. Thread-safe; every
 * method talks to the database, so call it off the UI thread.
 */
public interface Fleet extends AutoCloseable {

    /** The database's JDBC URL (without a password: it never carries one). */
    String url();

    /** Every server with its health, pools, connected clients and flows, read now. */
    FleetView view() throws EngineException;

    /** Every client certificate the fleet's CA issued, oldest first, revoked ones included. */
    List<ClientCertificate> clients() throws EngineException;

    /**
     * Issues a client certificate for {@code commonName} with the fleet CA (creating the CA on this machine and
     * publishing its certificate on first use) and records it in the database. CONFIG_INVALID if the name is taken,
     * or if the fleet's CA was created on another admin machine whose key is not here.
     */
    ClientCertificate issueClient(String commonName) throws EngineException;

    /** Revokes every certificate of {@code commonName} for the whole fleet; every server hears of it and drops the client. */
    ClientCertificate revoke(String commonName) throws EngineException;

    /**
     * A unified .ovpn profile for {@code commonName} listing every address every server of the fleet registered for
     * clients to dial, as {@code remote HOST PORT PROTO} (ADR 0057): servers in name order, each one's addresses in the
     * order it gave them, servers that have been {@link FleetView.Health#DOWN down} last. The client fails over down the
     * list; with {@code remoteRandom} it picks a random one first. Contains the client's private key: save it 0600, never
     * log it.
     */
    String exportProfile(String commonName, boolean remoteRandom) throws EngineException;

    /** Releases the database connection. */
    @Override
    void close();
}
