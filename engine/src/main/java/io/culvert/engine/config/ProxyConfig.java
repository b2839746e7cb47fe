package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.AuthUserPass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The proxy a remote is reached through: {@code http-proxy} (with its {@code http-proxy-option} and
 * {@code http-proxy-user-pass}) or {@code socks-proxy}. Immutable; {@link #toString()} never prints a password.
 */
public sealed interface ProxyConfig {
    /** The proxy's host name or address. */
    String host();

    /** The proxy's port. */
    int port();

    /** When an HTTP proxy gets credentials. */
    enum HttpAuth {
        /** First without; on a 407 offering Basic, with the configured or prompted credentials. */
        AUTO,
        /** Like AUTO but never sends cleartext (Basic) credentials ({@code auto-nct}). */
        AUTO_NCT,
        /** Basic credentials from the first request ({@code http-proxy host port authfile [basic]}). */
        BASIC
    }

    /**
     * {@code http-proxy}.
     *
     * @param credentials from the auth file or {@code <http-proxy-user-pass>}; a null part (or {@code stdin}) means
     *     ask the user; null when none are configured (then a 407 asks the user)
     * @param version {@code 1.0} or {@code 1.1}
     * @param userAgent {@code http-proxy-option AGENT}, or null
     * @param customHeaders {@code http-proxy-option CUSTOM-HEADER name [value]}, as name/value pairs (value may be null)
     */
    record Http(String host, int port, HttpAuth auth, AuthUserPass credentials, String version, String userAgent,
            List<List<String>> customHeaders) implements ProxyConfig {
        public Http {
            customHeaders = customHeaders.stream().map(h -> Collections.unmodifiableList(new ArrayList<>(h))).toList();
        }

        /** Header values may carry tokens, so only their names are printed. */
        @Override
        public String toString() {
            return "Http[" + host + ":" + port + ", auth=" + auth + ", credentials=" + credentials + ", HTTP/" + version
                    + ", agent=" + userAgent + ", headers=" + customHeaders.stream().map(List::getFirst).toList() + "]";
        }
    }

    /**
     * {@code socks-proxy} (SOCKS5).
     *
     * @param credentials from the auth file, a null part meaning ask the user; null for no authentication
     */
    record Socks(String host, int port, AuthUserPass credentials) implements ProxyConfig {}
}
