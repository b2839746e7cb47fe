package io.culvert.engine.config;

import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.Set;

/**
 * The readers' rules for one directive on its own, for a caller that classifies every line of a file instead of
 * reading it and stopping at the first error (the import report in {@code config.report}). Each member hands out
 * the rule the readers themselves apply, so the report and the readers cannot drift apart. Stateless.
 */
public final class DirectiveRules {

    /** Directives that make no sense in a server config. */
    public static final Set<String> SERVER_CLIENT_ONLY = ServerConfigReader.CLIENT_ONLY;
    /** Why {@code shaper} is refused in a server config. */
    public static final String SERVER_SHAPER = ServerConfigReader.SHAPER_IN_SERVER;
    /** Every directive the server reader acts on. */
    public static final Set<String> SERVER_HANDLED = ServerConfigReader.HANDLED;
    /** Directives the server skips without a note: it keeps its keys, device and privileges itself. */
    public static final Set<String> SERVER_NOTE_FREE = ServerConfigReader.UNIMPLEMENTED_NOTE_FREE;

    private DirectiveRules() {}

    /** The form, argument-count or placement error of a catalogued directive, or null when it is well formed. */
    public static OvpnParseException misuse(Directive d, Spec spec, boolean inConnection) {
        return DirectiveValidator.misuse(d, spec, inConnection);
    }

    /** Why the inline block {@code d} is a truncated PEM block, naming its BEGIN line; null when it is not one. */
    public static String truncatedPem(Directive d) {
        return KeyMaterial.truncatedPem(d);
    }
}
