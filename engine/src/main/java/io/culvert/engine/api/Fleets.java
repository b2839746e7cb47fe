package io.culvert.engine.api;

import java.util.Optional;

/**
 * Opens fleets and remembers the last one: its URL and user in the app's settings, its password in the desktop
 * keyring or, without one, in a file only the user can read (never in the settings, the URL or a log). Implemented by
 * {@code io.culvert.engine.fleetadmin.LocalFleets}. Thread-safe; calls block on the network.
 */
public interface Fleets {

    /** The fleet last opened: its URL and user, if one was. */
    record Remembered(String url, String user) {}

    /**
     * Connects to the fleet database at {@code url} as {@code user} (migrating its schema), and remembers it. The
     * password is kept as the class says. CONFIG_INVALID for a URL that is not PostgreSQL or carries a login;
     * NETWORK_UNREACHABLE when the database cannot be reached or refuses the login.
     */
    Fleet open(String url, String user, String password) throws EngineException;

    /** The fleet last opened, if any. */
    Optional<Remembered> remembered();

    /** Opens the fleet last opened with its kept password; CONFIG_INVALID if none was remembered. */
    Fleet reopen() throws EngineException;
}
