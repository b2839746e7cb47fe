package io.culvert.engine.store;

import io.culvert.engine.api.UserPass;
import java.util.Objects;
import java.util.Optional;

/**
 * A saved login for a profile: the username, and the password when one was saved ({@code null} otherwise),
 * with where that password is kept. {@link #toString()} never prints the password. Immutable.
 */
public record SavedCredentials(String profileName, String username, String password, Location location) {

    public SavedCredentials {
        Objects.requireNonNull(profileName, "profileName");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(location, "location");
    }

    /** Username and password when both are known, for {@code auth-user-pass}. */
    public Optional<UserPass> userPass() {
        return password == null ? Optional.empty() : Optional.of(new UserPass(username, password));
    }

    @Override
    public String toString() {
        return "SavedCredentials[" + profileName + ", " + username + ", password " + location + "]";
    }

    /** Where the password is kept. */
    public enum Location {
        /** No password saved: only the username; the user is asked for the password. */
        NONE,
        /** In the desktop keyring (Secret Service); the database holds only the item's id. */
        KEYRING,
        /** In the database, AES-256-GCM sealed with the key file next to it (user opted in). */
        ENCRYPTED_FILE
    }
}
