package io.culvert.engine.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The user and password a PostgreSQL store logs in with. The password comes from a file only its owner can
 * read or from the keyring, never from the command line or the URL, and is never printed: {@link #toString}
 * hides it.
 *
 * @param user the database role; null for SQLite
 * @param password the role's password; null for SQLite or a login the server authenticates otherwise
 */
public record DatabaseLogin(String user, String password) {
    /** No login: SQLite, or a PostgreSQL server that trusts the connection. */
    public static final DatabaseLogin NONE = new DatabaseLogin(null, null);

    private static final int MAX_PASSWORD_FILE = 4096;

    public DatabaseLogin {
        if (user != null && (user.isEmpty() || user.chars().anyMatch(Character::isISOControl))) {
            throw new StoreException(StoreException.Kind.INVALID, "the database user must be a non-empty name");
        }
    }

    /**
     * Reads the password of {@code user} from {@code file}: its first line, without the line end. The file must be
     * a regular file that neither its group nor others can read or write (0600 or 0400), as with key files.
     */
    public static DatabaseLogin fromFile(String user, Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(StoreException.Kind.INVALID, "password file " + file + " is not a regular file");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new StoreException(StoreException.Kind.INVALID,
                        "password file " + file + " is readable or writable by others; chmod 600 it");
            }
            if (Files.size(file) > MAX_PASSWORD_FILE) {
                throw new StoreException(StoreException.Kind.INVALID, "password file " + file + " is larger than 4 KiB");
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            int eol = text.indexOf('\n');
            String password = (eol < 0 ? text : text.substring(0, eol)).stripTrailing();
            if (password.isEmpty()) {
                throw new StoreException(StoreException.Kind.INVALID, "password file " + file + " is empty");
            }
            return new DatabaseLogin(user, password);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot read password file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The password of {@code user} held by {@code keyring} under {@code account}; SECRET_STORAGE_FAILED if it holds none. */
    public static DatabaseLogin fromKeyring(String user, Keyring keyring, String account) {
        if (!keyring.isAvailable()) {
            throw new StoreException(StoreException.Kind.NO_SECRET_STORAGE, "no keyring is running to hold the database password");
        }
        String password = keyring.lookup(account).orElseThrow(() -> new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED,
                "the keyring holds no database password under '" + account + "'"));
        return new DatabaseLogin(user, password);
    }

    @Override
    public String toString() {
        return "DatabaseLogin[user=" + user + ", password=" + (password == null ? "none" : "(hidden)") + "]";
    }
}
