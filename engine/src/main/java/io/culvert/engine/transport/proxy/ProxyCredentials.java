package io.culvert.engine.transport.proxy;

/**
 * A proxy username and password. Immutable; {@link #toString()} prints neither (they may come from an auth file the
 * reader of a log must not learn about).
 */
public record ProxyCredentials(String username, String password) {
    public ProxyCredentials {
        if (username == null || password == null) {
            throw new IllegalArgumentException("username and password are required");
        }
    }

    @Override
    public String toString() {
        return "ProxyCredentials[***, ***]";
    }
}
