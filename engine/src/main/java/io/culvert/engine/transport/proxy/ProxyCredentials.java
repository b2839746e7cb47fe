package io.culvert.engine.transport.proxy;

/** A proxy username and password. Immutable; {@link #toString()} never prints the password. */
public record ProxyCredentials(String username, String password) {
    public ProxyCredentials {
        if (username == null || password == null) {
            throw new IllegalArgumentException("username and password are required");
        }
    }

    @Override
    public String toString() {
        return "ProxyCredentials[" + username + ", ***]";
    }
}
