package io.culvert.engine.fleet;

import io.culvert.engine.store.DatabaseLogin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a server joins its fleet ({@code culvert server --fleet URL ...}). Instances are immutable.
 *
 * @param url the fleet's PostgreSQL, {@code jdbc:postgresql://host[:port]/db[?...]}, without a login
 * @param login the database login (from a 0600 file or the keyring; never in argv)
 * @param name this server's name in the fleet (its pools and reports are kept under it)
 * @param stateDir where the server keeps the last revocation list it read (0700 folder, 0600 file)
 * @param maxAge how old that list may be while the database is away before new clients are refused
 * @param failOpen accept new clients with an older list anyway
 * @param heartbeat how often the server reports its heartbeat, instances and flows
 * @param reread how often it re-reads every revocation and client route (the safety net under LISTEN/NOTIFY)
 * @param remotes the addresses clients dial to reach this server as {@code --fleet-remote} gives them,
 *     {@code HOST[:PORT[:PROTO]]}, in order (the port and protocol left out are the config's); empty: what the config's
 *     {@code local} lines name, else the server's name (ADR 0057)
 */
public record FleetOptions(String url, DatabaseLogin login, String name, Path stateDir, Duration maxAge, boolean failOpen,
        Duration heartbeat, Duration reread, List<String> remotes) {
    public FleetOptions {
        remotes = List.copyOf(remotes);
    }

    /** The default limit on the revocation list's age while the database is away. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REREAD = Duration.ofSeconds(30);

    /** The options with the default heartbeat and re-read periods. */
    public FleetOptions(String url, DatabaseLogin login, String name, Path stateDir, Duration maxAge, boolean failOpen) {
        this(url, login, name, stateDir, maxAge, failOpen, DEFAULT_HEARTBEAT, DEFAULT_REREAD, List.of());
    }

    /** These options with {@code remotes} as the addresses clients dial. */
    public FleetOptions withRemotes(List<String> remotes) {
        return new FleetOptions(url, login, name, stateDir, maxAge, failOpen, heartbeat, reread, remotes);
    }

    @Override
    public String toString() {
        return "FleetOptions[" + url.replaceAll("\\?.*", "") + ", " + login + ", " + name + "]";
    }
}
