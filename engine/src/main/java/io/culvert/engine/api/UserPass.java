package io.culvert.engine.api;

/** A username and password. {@link #toString()} never prints the password. */
public record UserPass(String username, String password) {
    @Override
    public String toString() {
        return "UserPass[" + username + ", ***]";
    }
}
