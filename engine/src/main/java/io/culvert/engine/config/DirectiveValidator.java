package io.culvert.engine.config;

import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an {@link OvpnFile} against the {@link Directives} catalogue in file order, unwrapping
 * {@code setenv opt} and honouring {@code ignore-unknown-option} from the line it appears on. One
 * instance per file; not thread-safe.
 */
final class DirectiveValidator {

    /** A directive accepted by the catalogue; {@code directive} is unwrapped from {@code setenv opt}. */
    record Checked(Directive directive, Spec spec) {}

    /** Top-level entries in order (a {@code connection} entry marks each block) plus each block's entries. */
    record Result(List<Checked> global, List<List<Checked>> connections, List<String> warnings) {}

    private final boolean ignoreUnknown;
    private final Set<String> ignorable = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();

    private DirectiveValidator(boolean ignoreUnknown) {
        this.ignoreUnknown = ignoreUnknown;
    }

    static Result validate(OvpnFile file, boolean ignoreUnknown) throws OvpnParseException {
        return new DirectiveValidator(ignoreUnknown).run(file);
    }

    private Result run(OvpnFile file) throws OvpnParseException {
        List<Checked> global = new ArrayList<>();
        List<List<Checked>> blocks = new ArrayList<>();
        int block = 0;
        for (Directive d : file.directives()) {
            Checked c = check(d, false);
            if (c == null) {
                continue;
            }
            global.add(c);
            if (d.name().equals("connection") && d.isInline()) {
                List<Checked> inner = new ArrayList<>();
                for (Directive e : file.connections().get(block++)) {
                    Checked ce = check(e, true);
                    if (ce != null) {
                        inner.add(ce);
                    }
                }
                blocks.add(inner);
            }
        }
        return new Result(global, blocks, List.copyOf(warnings));
    }

    private Checked check(Directive raw, boolean inConnection) throws OvpnParseException {
        Directive d = raw;
        boolean optional = false;
        if (raw.name().equals("setenv") && "opt".equals(raw.arg(0))) {
            if (raw.args().size() < 2) {
                throw new OvpnParseException(raw.line(), "setenv", Reason.WRONG_ARGUMENT_COUNT,
                        "'setenv opt' needs a directive name");
            }
            d = new Directive(raw.arg(1), raw.args().subList(2, raw.args().size()), raw.line(), null);
            optional = true;
        }
        Spec spec = Directives.lookup(d.name()).orElse(null);
        if (spec == null) {
            if (optional || ignoreUnknown || ignorable.contains(d.name())) {
                warnings.add("line " + d.line() + ": ignoring unknown directive '" + d.name() + "'");
                return null;
            }
            throw new OvpnParseException(d.line(), d.name(), Reason.UNKNOWN_DIRECTIVE,
                    "not an OpenVPN 2.6 directive Culvert knows");
        }
        if (inConnection && !optional && (d.name().equals(WebSocketRemote.DIRECTIVE) || d.name().equals(WebSocketRemote.CA)
                || d.name().equals(WebSocketListen.TOKEN_FILE))) {
            // stock OpenVPN reads a block with fresh options: ignore-unknown-option does not reach in, and the bare
            // directive stops it ("Options error: Unrecognized option ... [CONNECTION-OPTIONS]"); 'setenv opt' does not
            throw new OvpnParseException(d.line(), d.name(), Reason.SYNTAX_ERROR, "inside a <connection> block write"
                    + " 'setenv opt " + d.name() + " ...': stock OpenVPN refuses the bare directive there");
        }
        OvpnParseException misuse = misuse(d, spec, inConnection);
        if (misuse != null) {
            throw misuse;
        }
        if (d.name().equals("ignore-unknown-option")) {
            ignorable.addAll(d.args());
        }
        return new Checked(d, spec);
    }

    /** The form, argument-count or placement error of a catalogued directive, or null when it is well formed. */
    static OvpnParseException misuse(Directive d, Spec spec, boolean inConnection) {
        if (d.isInline() && !spec.inlineAllowed()) {
            return new OvpnParseException(d.line(), d.name(), Reason.SYNTAX_ERROR,
                    "'" + d.name() + "' cannot be given as an inline block");
        }
        if (!d.isInline() && d.name().equals("connection")) {
            return new OvpnParseException(d.line(), d.name(), Reason.SYNTAX_ERROR,
                    "'connection' is only valid as a <connection> block");
        }
        int n = d.argCount();
        if (n < spec.minArgs() || n > spec.maxArgs()) {
            return new OvpnParseException(d.line(), d.name(), Reason.WRONG_ARGUMENT_COUNT,
                    expected(spec.minArgs(), spec.maxArgs()) + ", got " + n);
        }
        if (inConnection && !spec.connectionAllowed()) {
            return new OvpnParseException(d.line(), d.name(), Reason.SYNTAX_ERROR,
                    "'" + d.name() + "' is not allowed inside a <connection> block");
        }
        return null;
    }

    static String expected(int min, int max) {
        if (min == max) {
            return min == 0 ? "expected no arguments" : "expected " + min + (min == 1 ? " argument" : " arguments");
        }
        if (max >= Directives.MANY) {
            return "expected at least " + min + (min == 1 ? " argument" : " arguments");
        }
        return "expected " + min + " to " + max + " arguments";
    }
}
