package io.culvert.engine.fleetadmin;

import io.culvert.engine.api.AppSettings;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.Fleet;
import io.culvert.engine.api.Fleets;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.Keyring;
import io.culvert.engine.store.SecretToolKeyring;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Opens fleets for the app (issue 15): the fleet's URL and user go to the app's settings, its password to the desktop
 * keyring or, without one, to {@code fleet.pw} (0600) in the data folder, read back through {@link DatabaseLogin}. The
 * fleet CA's key lives under {@code fleets/} in the data folder (ADR 0054). Thread-safe.
 */
public final class LocalFleets implements Fleets {
    static final String URL_KEY = "fleet.url";
    static final String USER_KEY = "fleet.user";
    static final String PASSWORD_FILE = "fleet.pw";
    private static final String KEYRING_PREFIX = "culvert-fleet:";

    private final Path dataDir;
    private final AppSettings settings;
    private final Keyring keyring;
    private final InstantSource clock;

    LocalFleets(Path dataDir, AppSettings settings, Keyring keyring, InstantSource clock) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.keyring = keyring;
        this.clock = clock;
    }

    /** Fleets remembered in {@code settings}, passwords in the desktop keyring when {@code desktopKeyring} and one runs. */
    public static LocalFleets open(Path dataDir, AppSettings settings, boolean desktopKeyring, InstantSource clock) {
        return new LocalFleets(dataDir, settings, desktopKeyring ? SecretToolKeyring.fromPath(System.getenv()) : Keyring.NONE, clock);
    }

    @Override
    public synchronized Fleet open(String url, String user, String password) throws EngineException {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "a fleet database is a PostgreSQL URL: jdbc:postgresql://host[:port]/db");
        }
        if (password == null || password.isEmpty() || password.contains("\n")) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "the database password must be one non-empty line");
        }
        DatabaseLogin login = login(user, password);
        LocalFleet fleet = connect(url, login);
        try {
            remember(url, user, password);
        } catch (IOException | StoreException e) {
            fleet.close();
            throw new EngineException(ErrorKind.CONFIG_INVALID, "cannot keep the database password: " + e.getMessage(), e);
        }
        return fleet;
    }

    @Override
    public Optional<Remembered> remembered() {
        Optional<String> url = settings.get(URL_KEY).filter(u -> !u.isEmpty());
        return url.map(u -> new Remembered(u, settings.get(USER_KEY).orElse("")));
    }

    @Override
    public synchronized Fleet reopen() throws EngineException {
        Remembered r = remembered().orElseThrow(() -> new EngineException(ErrorKind.CONFIG_INVALID, "no fleet was opened before"));
        DatabaseLogin login;
        try {
            Path file = dataDir.resolve(PASSWORD_FILE);
            login = keyring.isAvailable() && keyring.lookup(account(r.url(), r.user())).isPresent()
                    ? DatabaseLogin.fromKeyring(r.user(), keyring, account(r.url(), r.user()))
                    : DatabaseLogin.fromFile(r.user(), file);
        } catch (StoreException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "the fleet's password is not kept any more: " + e.getMessage(), e);
        }
        return connect(r.url(), login);
    }

    private LocalFleet connect(String url, DatabaseLogin login) throws EngineException {
        Store store;
        try {
            store = Store.open(url, login, clock);
        } catch (StoreException e) {
            throw new EngineException(e.kind() == StoreException.Kind.IO ? ErrorKind.NETWORK_UNREACHABLE : ErrorKind.CONFIG_INVALID,
                    e.getMessage(), e);
        }
        try {
            LocalFleet fleet = new LocalFleet(url, store, dataDir.resolve("fleets"), clock, new SecureRandom());
            fleet.view(); // the fleet's tables answer
            return fleet;
        } catch (EngineException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static DatabaseLogin login(String user, String password) throws EngineException {
        try {
            return new DatabaseLogin(user, password);
        } catch (StoreException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    /** URL and user to the settings; the password to the keyring if one runs, else to a 0600 file (and out of the other). */
    private void remember(String url, String user, String password) throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (keyring.isAvailable()) {
            keyring.store(account(url, user), "Culvert fleet database " + user + " at " + url.replaceAll("\\?.*", ""), password);
            Files.deleteIfExists(file);
        } else {
            PrivateFiles.createDirectories(dataDir);
            PrivateFiles.writePrivate(file, password + "\n");
        }
        settings.put(URL_KEY, url);
        settings.put(USER_KEY, user);
    }

    private static String account(String url, String user) {
        return KEYRING_PREFIX + user + "@" + url;
    }
}
