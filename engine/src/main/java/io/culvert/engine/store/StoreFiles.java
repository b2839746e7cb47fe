package io.culvert.engine.store;

import java.nio.file.Path;
import java.util.Map;

/** Where the store lives (its folder and files are owner-only: {@link io.culvert.engine.common.PrivateFiles}). Stateless. */
public final class StoreFiles {
    /** The database file name inside the data folder. */
    public static final String DB_FILE = "culvert.db";
    /** The key file that seals opted-in passwords, next to the database. */
    public static final String KEY_FILE = "culvert.key";

    private StoreFiles() {}

    /**
     * The default database path under the XDG data folder: {@code $XDG_DATA_HOME/culvert/culvert.db}, or
     * {@code $HOME/.local/share/culvert/culvert.db} when XDG_DATA_HOME is unset, empty or relative.
     */
    public static Path defaultDatabase(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base;
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            base = Path.of(home, ".local", "share");
        }
        return base.resolve("culvert").resolve(DB_FILE);
    }

    /** The key file belonging to {@code database}. */
    public static Path keyFile(Path database) {
        return database.toAbsolutePath().resolveSibling(KEY_FILE);
    }
}
