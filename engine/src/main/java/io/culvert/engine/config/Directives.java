package io.culvert.engine.config;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnLexer;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * One catalogue entry; {@code note} explains IGNORED, WARN and UNSUPPORTED entries.
     *
     * @param paths the argument positions that name a file, folder or program on the host (empty for most)
     */
    public record Spec(String name, int minArgs, int maxArgs, Support support, Role role,
            boolean inlineAllowed, boolean connectionAllowed, String note, List<PathArg> paths) {
        public Spec {
            paths = List.copyOf(paths);
        }

        /** Whether some argument of this directive may name a path on the host. */
        public boolean takesPath() {
            return !paths.isEmpty();
        }
    }

    /**
     * An argument position that names a path on the host (a file, a folder or a program to run), and the words that
     * in that position are not paths ({@code stdin}, {@code none}, {@code auto} ...). Immutable.
     *
     * @param index the argument's position, or {@link #EVERY} for every argument
     * @param keywords values that mean something else than a path
     */
    public record PathArg(int index, Set<String> keywords) {
        /** Every argument names a path. */
        public static final int EVERY = -1;

        public PathArg {
            keywords = Set.copyOf(keywords);
        }

        boolean covers(int position) {
            return index == EVERY || index == position;
        }
    }

    /**
     * The arguments of {@code d} that name a path on the host, by the catalogue's {@link Spec#paths()}; empty for an
     * inline block, the legacy {@code [inline]} placeholder, keywords and uncatalogued directives.
     */
    public static List<String> pathsNamedBy(Directive d) {
        if (d.isInline()) {
            return List.of();
        }
        Spec spec = SPECS.get(d.name());
        if (spec == null || spec.paths().isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.args().size(); i++) {
            String arg = d.arg(i);
            for (PathArg p : spec.paths()) {
                if (p.covers(i) && !arg.equals(INLINE_PLACEHOLDER) && !p.keywords().contains(arg)) {
                    out.add(arg);
                    break;
                }
            }
        }
        return out;
    }

    /** OpenVPN's legacy stand-in for a file whose content follows in an inline block. */
    public static final String INLINE_PLACEHOLDER = "[inline]";

    private static final Set<String> INLINE = Set.of("ca", "cert", "key", "extra-certs", "dh", "tls-auth",
            "tls-crypt", "tls-crypt-v2", "secret", "crl-verify", "auth-user-pass", "http-proxy-user-pass",
            "pkcs12", "peer-fingerprint", "connection", "socks-proxy-user-pass");

    /** Directives OpenVPN accepts inside a {@code <connection>} block. */
    private static final Set<String> CONNECTION = Set.of("remote", "port", "rport", "lport", "proto", "bind",
            "nobind", "local", "float", "connect-retry", "connect-timeout", "connect-retry-max",
            "server-poll-timeout", "explicit-exit-notify", "http-proxy", "http-proxy-option",
            "http-proxy-user-pass", "socks-proxy", "socks-proxy-user-pass", "tun-mtu", "tun-mtu-extra", "link-mtu", "mtu-disc",
            "mssfix", "fragment", "remote-random-hostname",
            WebSocketRemote.DIRECTIVE, WebSocketRemote.CA, WebSocketListen.TOKEN_FILE);

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

    /**
     * Checks every directive of {@code file} against the catalogue (unknown names, argument counts, inline and
     * connection-block placement) and returns the warnings for unknown directives that were ignored. Works for
     * client and server files alike.
     */
    public static List<String> validate(OvpnFile file, boolean ignoreUnknown) throws OvpnParseException {
        return DirectiveValidator.validate(file, ignoreUnknown).warnings();
    }

    static void add(Map<String, Spec> m, String name, int min, int max, Support support, Role role, String note) {
        if (m.put(name, new Spec(name, min, max, support, role, INLINE.contains(name), CONNECTION.contains(name),
                note, List.of())) != null) {
            throw new IllegalStateException("duplicate catalogue entry " + name);
        }
    }

    /** Marks argument {@code index} of the catalogued {@code name} as a path, except for {@code keywords}. */
    static void path(Map<String, Spec> m, String name, int index, String... keywords) {
        Spec s = m.get(name);
        if (s == null) {
            throw new IllegalStateException("path for an uncatalogued directive " + name);
        }
        if (index != PathArg.EVERY && index >= s.maxArgs()) {
            throw new IllegalStateException(name + " has no argument " + index);
        }
        List<PathArg> paths = new ArrayList<>(s.paths());
        paths.add(new PathArg(index, Set.of(keywords)));
        m.put(name, new Spec(s.name(), s.minArgs(), s.maxArgs(), s.support(), s.role(), s.inlineAllowed(),
                s.connectionAllowed(), s.note(), paths));
    }
}
