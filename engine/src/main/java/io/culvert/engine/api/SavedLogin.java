package io.culvert.engine.api;

/**
 * A login saved for a profile. {@link #toString()} never prints the password. Immutable.
 *
 * @param password the password, or null when only the username was saved
 * @param inKeyring true when the password is kept in the desktop keyring
 */
public record SavedLogin(String username, String password, boolean inKeyring) {

    /** True when a password was saved too. */
    public boolean hasPassword() {
        return password != null;
    }

    @Override
    public String toString() {
        return "SavedLogin[" + username + ", " + (password == null ? "no password" : "***") + "]";
    }
}
