package io.culvert.engine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue of OpenVPN 2.6 directives Culvert knows: argument counts (an inline block counts as
 * one argument), where they may appear, and what the Culvert client does with them. Immutable and
 * thread-safe.
 */
public final class Directives {

    /** Upper bound for variadic directives: a line holds at most 16 words. */
    public static final int MANY = OvpnLexer.MAX_WORDS - 1;

    /** What the Culvert client does with a directive. */
    public enum Support {
        /** Read into {@link ClientConfig}. */
        SUPPORTED,
        /** Harmless here and ignored quietly (listed in {@code ignoredOptionsReported}). */
        IGNORED,
        /** Ignored, but the user may rely on it, so a warning is reported. */
        WARN,
        /** Cannot be honoured safely; a client profile using it is rejected. */
        UNSUPPORTED
    }

    /** Which side of a connection a directive configures. */
    public enum Role {
        /** Meaningful for clients (and possibly servers). */
        CLIENT,
        /** Only meaningful in a server config. */
        SERVER
    }

    /** One catalogue entry; {@code note} explains IGNORED, WARN and UNSUPPORTED entries. */
    public record Spec(String name, int minArgs, int maxArgs, Support support, Role role,
            boolean inlineAllowed, boolean connectionAllowed, String note) {}

    private static final Set<String> INLINE = Set.of("ca", "cert", "key", "extra-certs", "dh", "tls-auth",
            "tls-crypt", "tls-crypt-v2", "secret", "crl-verify", "auth-user-pass", "http-proxy-user-pass",
            "pkcs12", "peer-fingerprint", "connection");

    /** Directives OpenVPN accepts inside a {@code <connection>} block. */
    private static final Set<String> CONNECTION = Set.of("remote", "port", "rport", "lport", "proto", "bind",
            "nobind", "local", "float", "connect-retry", "connect-timeout", "connect-retry-max",
            "server-poll-timeout", "explicit-exit-notify", "http-proxy", "http-proxy-option",
            "http-proxy-user-pass", "socks-proxy", "tun-mtu", "tun-mtu-extra", "link-mtu", "mtu-disc",
            "mssfix", "fragment", "remote-random-hostname");

    private static final Map<String, Spec> SPECS;

    static {
        Map<String, Spec> m = new LinkedHashMap<>();
        new Catalogue(m).fill();
        SPECS = Collections.unmodifiableMap(m);
    }

    private Directives() {}

    /** The entry for {@code name}, if catalogued. Names are case-sensitive, as in OpenVPN. */
    public static Optional<Spec> lookup(String name) {
        return Optional.ofNullable(SPECS.get(name));
    }

    /** Every catalogued name, in catalogue order. */
    public static Set<String> names() {
        return SPECS.keySet();
    }

    static void add(Map<String, Spec> m, String name, int min, int max, Support support, Role role, String note) {
        if (m.put(name, new Spec(name, min, max, support, role, INLINE.contains(name), CONNECTION.contains(name),
                note)) != null) {
            throw new IllegalStateException("duplicate catalogue entry " + name);
        }
    }
}
