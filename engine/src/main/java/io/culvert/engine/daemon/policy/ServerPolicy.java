package io.culvert.engine.daemon.policy;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a server config sent to culvertd may hold. The service runs it with its own privileges (CAP_NET_ADMIN), so
 * it runs no script or plugin an admin names (that would hand the capability to the script), opens no management
 * listener, opens no path the caller names (keys, certificates and the CRL come inline, ccd entries alongside) and
 * writes only into its own per-server state folder: {@code client-config-dir}, {@code crl-verify}, {@code status}
 * and {@code ifconfig-pool-persist} are pointed there ({@code service.ServerFolder}). Shared by {@code RemoteEngine}, which
 * refuses before sending, and the service, which refuses whatever a caller sends anyway. Stateless.
 */
public final class ServerPolicy {
    /** Directives that run a program or load code; in the service they would run with its capability. */
    static final Set<String> SCRIPTS = Set.of("up", "down", "route-up", "route-pre-down", "ipchange", "tls-verify",
            "tls-export-cert", "client-connect", "client-disconnect", "learn-address", "auth-user-pass-verify", "plugin");
    /** Directives that make the service listen, read or write somewhere outside its state folder. */
    static final Set<String> HOST_EFFECTS = Set.of("management", "management-client-auth", "config", "tmp-dir");
    /** Directives whose file the service keeps in the server's state folder. */
    public static final Set<String> RELOCATED = Set.of("client-config-dir", "crl-verify", "status", "ifconfig-pool-persist");
    /** Most client-config-dir entries sent with a server. */
    public static final int MAX_CCD_ENTRIES = 512;
    /** Largest client-config-dir entry, in characters (as the server's own ccd reader). */
    public static final int MAX_CCD_CHARS = 64 * 1024;
    /** Largest CRL, in characters (as the config parser's inline limit). */
    public static final int MAX_CRL_CHARS = 256 * 1024;
    /** A ccd entry name: a common name as the server manager issues them (no path, no hidden file). */
    private static final Pattern CCD_NAME = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,63}");

    private ServerPolicy() {}

    /**
     * The directives of {@code config} culvertd will not honour for a caller, one message each; file references
     * are not among them ({@code RemoteEngine} inlines those).
     */
    public static List<String> refusals(OvpnFile config) {
        List<String> out = new ArrayList<>();
        for (Directive d : config.directives()) {
            if (SCRIPTS.contains(d.name())) {
                out.add("line " + d.line() + ": '" + d.name() + "' runs a script or plugin, which culvertd does not do for"
                        + " callers (it would run with the service's CAP_NET_ADMIN)");
            } else if (HOST_EFFECTS.contains(d.name())) {
                out.add("line " + d.line() + ": '" + d.name() + "' would make culvertd listen, read or write outside its"
                        + " own state folder");
            } else if (d.name().equals("crl-verify") && d.args().size() > 1) {
                out.add("line " + d.line() + ": 'crl-verify' in its folder form (DIR dir) names a folder culvertd cannot read; use a CRL file");
            }
        }
        if (!config.connections().isEmpty()) {
            out.add("<connection> blocks do not belong in a server config");
        }
        return out;
    }

    /**
     * {@link #refusals} plus every path a caller names that the service would open: every argument the catalogue
     * marks as a path, except those of the directives the service points into its own state folder
     * ({@link #RELOCATED}; {@code crl-verify} must come inline), as the service itself refuses them.
     */
    public static List<String> serviceRefusals(OvpnFile config) {
        List<String> out = refusals(config);
        for (Directive d : config.directives()) {
            boolean relocated = RELOCATED.contains(d.name()) && !d.name().equals("crl-verify");
            boolean refusedAlready = SCRIPTS.contains(d.name()) || HOST_EFFECTS.contains(d.name())
                    || (d.name().equals("crl-verify") && d.args().size() > 1);
            if (!relocated && !refusedAlready && ProfilePolicy.namesFile(d)) {
                out.add(ProfilePolicy.pathRefusal(d));
            }
        }
        return out;
    }

    /** True when {@code name} may name a client-config-dir entry. */
    public static boolean isValidCcdName(String name) {
        return name != null && CCD_NAME.matcher(name).matches() && !name.contains("..");
    }

    /** Why {@code ccd} cannot be sent, or null when it can. */
    public static String ccdProblem(Map<String, String> ccd) {
        if (ccd.size() > MAX_CCD_ENTRIES) {
            return "more than " + MAX_CCD_ENTRIES + " client-config-dir entries";
        }
        for (Map.Entry<String, String> e : ccd.entrySet()) {
            String p = ccdEntryProblem(e.getKey(), e.getValue());
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** Why one ccd entry cannot be sent, or null when it can. */
    public static String ccdEntryProblem(String name, String text) {
        if (!isValidCcdName(name)) {
            return "'" + printable(name) + "' cannot name a client-config-dir entry (1-64 letters, digits, '.', '_', '@'"
                    + " or '-', not starting with '.')";
        }
        if (text.length() > MAX_CCD_CHARS) {
            return "client-config-dir entry '" + name + "' is longer than " + MAX_CCD_CHARS + " characters";
        }
        return null;
    }

    private static String printable(String s) {
        String t = s == null ? "null" : s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}
