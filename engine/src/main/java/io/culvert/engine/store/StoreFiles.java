package io.culvert.engine.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/** Where the store lives and the owner-only permissions of its folder and files. Stateless and thread-safe. */
public final class StoreFiles {
    /** The database file name inside the data folder. */
    public static final String DB_FILE = "culvert.db";
    /** The key file that seals opted-in passwords, next to the database. */
    public static final String KEY_FILE = "culvert.key";

    static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

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

    /** Creates the missing folders of {@code dir} as 0700; an existing folder is left as it is. */
    static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            ensureDirectory(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
            Files.setPosixFilePermissions(dir, OWNER_RWX); // the umask may have removed bits; never added any
        } catch (FileAlreadyExistsException raced) {
            // another process created it first
        }
    }

    /** Creates {@code file} empty as 0600 if missing; an existing file is narrowed to 0600. */
    static void ensureOwnerOnlyFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_RW));
        } catch (FileAlreadyExistsException exists) {
            // fall through to narrowing
        }
        narrow(file);
    }

    /** Sets {@code file} to 0600 if it exists (a regular file, not a link). */
    static void narrow(Path file) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                && !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(OWNER_RW)) {
            Files.setPosixFilePermissions(file, OWNER_RW);
        }
    }
}
