package io.culvert.engine.service;

import io.culvert.engine.config.Directive;
import io.culvert.engine.config.Directives;
import io.culvert.engine.config.OvpnFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a non-admin caller's client profile may not contain, because the service would act on it with its own
 * privileges: file references (the service would read any file it can and send it to a server of the caller's
 * choosing) and directives that make the service write files or open listeners. The caller's own process inlines
 * its files before sending (the RemoteEngine does). Stateless.
 */
public final class ProfilePolicy {
    /** Directives that name a file although their catalogue entry allows inline blocks for other reasons. */
    private static final Set<String> NOT_FILES = Set.of("peer-fingerprint", "connection");
    /** Directives the engine honours by writing or listening somewhere on the host. */
    private static final Set<String> HOST_EFFECTS = Set.of("status", "management", "config");

    private ProfilePolicy() {}

    /** The refusals for {@code profile}, empty when an operator may run it. */
    public static List<String> operatorRefusals(OvpnFile profile) {
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
                refusals.add("line " + d.line() + ": '" + d.name() + "' is for admins (the service would write or listen on the host)");
            } else if (namesFile(d)) {
                refusals.add("line " + d.line() + ": '" + d.name() + "' names a file; the service reads no files for callers,"
                        + " send the profile with the file inlined");
            }
        }
    }

    /** True when {@code d} refers to a file by name rather than carrying its content inline. */
    public static boolean namesFile(Directive d) {
        if (NOT_FILES.contains(d.name()) || d.isInline() || d.args().isEmpty() || "[inline]".equals(d.arg(0))) {
            return false;
        }
        return Directives.lookup(d.name()).map(Directives.Spec::inlineAllowed).orElse(false);
    }
}
