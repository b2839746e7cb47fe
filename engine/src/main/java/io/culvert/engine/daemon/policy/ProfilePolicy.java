package io.culvert.engine.daemon.policy;

import io.culvert.engine.config.Directives;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a client profile sent to culvertd may not contain, for any caller, operator or admin: a path on the host in
 * any argument the directive catalogue marks as one ({@link Directives#pathsNamedBy}: key files, proxy and
 * {@code auth-user-pass} files, {@code askpass}, scripts, logs ...), because the service would open it with its own
 * rights and hand its content to a server of the caller's choosing; and directives that make the service listen or
 * write on the host. The caller's own process inlines its files before sending ({@code RemoteEngine}). Messages name
 * the line and the directive, never the path, so a refusal says nothing about what exists on the host. Stateless.
 */
public final class ProfilePolicy {
    /** Directives the engine honours by listening or reading another config; refused even without a path. */
    private static final Set<String> HOST_EFFECTS = Set.of("management", "config");

    private ProfilePolicy() {}

    /** The refusals for {@code profile}, empty when culvertd may run it for a caller. */
    public static List<String> refusals(OvpnFile profile) {
        List<String> refusals = new ArrayList<>();
        check(profile.directives(), refusals);
        for (List<Directive> connection : profile.connections()) {
            check(connection, refusals);
        }
        return refusals;
    }

    private static void check(List<Directive> directives, List<String> refusals) {
        for (Directive d : directives) {
            if (HOST_EFFECTS.contains(d.name())) {
                refusals.add("line " + d.line() + ": '" + d.name() + "' would make culvertd listen or read on the host");
            } else if (namesFile(d)) {
                refusals.add(pathRefusal(d));
            }
        }
    }

    /** The refusal for a directive that names a path: the same words whatever the path, existing or not. */
    public static String pathRefusal(Directive d) {
        return "line " + d.line() + ": '" + d.name() + "' names a file on the host; culvertd opens no path a caller"
                + " names: send its content inline";
    }

    /** True when {@code d} names a path on the host in some argument rather than carrying content inline. */
    public static boolean namesFile(Directive d) {
        return !Directives.pathsNamedBy(d).isEmpty();
    }
}
