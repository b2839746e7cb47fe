package io.culvert.engine.config.report;

import io.culvert.engine.config.DirectiveRules;
import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.Directives.Support;
import io.culvert.engine.config.Directives;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport.Item;
import io.culvert.engine.config.report.ImportReport.Problem;
import io.culvert.engine.config.report.ImportReport.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link ImportReport}: one {@link Item} per directive in file order, collecting every
 * catalogue-level error instead of stopping at the first. One instance per report; not thread-safe.
 */
final class ImportClassifier {
    /** Inline blocks that hold PEM text (keys, certificates, static keys, DH parameters, CRLs). */
    private static final Set<String> PEM_BLOCKS = Set.of("ca", "cert", "key", "extra-certs", "tls-auth", "tls-crypt",
            "tls-crypt-v2", "secret", "dh", "crl-verify");
    private static final Set<String> SERVER_MODE = Set.of("server", "server-bridge", "server-ipv6", "tls-server");

    /** A classification, and the error it implies (null when none). */
    record Verdict(Status status, String note, boolean warning, Reason problem) {
        static Verdict of(Status status, String note) {
            return new Verdict(status, note, false, null);
        }

        static Verdict warn(String note) {
            return new Verdict(Status.IGNORED, note, true, null);
        }

        /** UNSUPPORTED for a directive Culvert cannot honour; REFUSED for a line that is wrong as written. */
        static Verdict error(Reason reason, String note) {
            return new Verdict(reason == Reason.UNSUPPORTED_DIRECTIVE ? Status.UNSUPPORTED : Status.REFUSED, note, false, reason);
        }
    }

    private final Role role;
    private final boolean ignoreUnknown;
    private final Map<String, Integer> ignorable = new HashMap<>();
    private final List<Item> items = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private ImportNotes notes;
    private boolean hasBlocks;

    ImportClassifier(Role role, boolean ignoreUnknown) {
        this.role = role;
        this.ignoreUnknown = ignoreUnknown;
    }

    ImportReport classify(OvpnFile file) {
        notes = new ImportNotes(file);
        hasBlocks = !file.connections().isEmpty();
        int block = 0;
        for (Directive d : file.directives()) {
            one(d, false);
            if (d.name().equals("connection") && d.isInline()) {
                for (Directive inner : file.connections().get(block++)) {
                    one(inner, true);
                }
            }
        }
        return new ImportReport(role, items, problems);
    }

    private void one(Directive raw, boolean inConnection) {
        Directive d = raw;
        boolean optional = false;
        if (raw.name().equals("setenv") && "opt".equals(raw.arg(0))) {
            if (raw.args().size() < 2) {
                record(raw, inConnection, new Verdict(Status.IGNORED, "'setenv opt' needs a directive name", false,
                        Reason.WRONG_ARGUMENT_COUNT));
                return;
            }
            d = new Directive(raw.arg(1), raw.args().subList(2, raw.args().size()), raw.line(), null);
            optional = true;
        }
        Spec spec = Directives.lookup(d.name()).orElse(null);
        if (spec == null) {
            record(d, inConnection, unknown(d, optional));
            return;
        }
        OvpnParseException misuse = DirectiveRules.misuse(d, spec, inConnection);
        if (misuse != null) {
            // A malformed line is reported as such; its notes would describe arguments it does not have.
            record(d, inConnection, Verdict.error(misuse.reason(), misuse.detail()));
            return;
        }
        if (d.name().equals("ignore-unknown-option")) {
            d.args().forEach(a -> ignorable.putIfAbsent(a, raw.line()));
        }
        String truncated = d.isInline() && PEM_BLOCKS.contains(d.name()) ? DirectiveRules.truncatedPem(d) : null;
        if (truncated != null) {
            record(d, inConnection, Verdict.error(Reason.INVALID_VALUE, truncated));
            return;
        }
        record(d, inConnection, role == Role.SERVER ? server(d, spec) : client(d, spec, inConnection));
    }

    private void record(Directive d, boolean inConnection, Verdict v) {
        items.add(new Item(d.line(), d.name(), v.status(), v.note(), v.warning(), inConnection));
        if (v.problem() != null) {
            problems.add(new Problem(d.line(), d.name(), v.problem(), v.note()));
        }
    }

    private Verdict unknown(Directive d, boolean optional) {
        String kept = "not a directive Culvert knows; kept verbatim";
        if (optional) {
            return Verdict.of(Status.UNKNOWN, kept + " and skipped (setenv opt)");
        }
        if (ignoreUnknown) {
            return Verdict.of(Status.UNKNOWN, kept + " and skipped (unknown directives ignored)");
        }
        Integer at = ignorable.get(d.name());
        if (at != null) {
            return Verdict.of(Status.UNKNOWN, kept + " and skipped (ignore-unknown-option on line " + at + ")");
        }
        return new Verdict(Status.UNKNOWN, kept + "; list it in ignore-unknown-option to skip it", false,
                Reason.UNKNOWN_DIRECTIVE);
    }

    private Verdict client(Directive d, Spec spec, boolean inConnection) {
        if (spec.role() == Role.SERVER) {
            if (SERVER_MODE.contains(d.name()) || (d.name().equals("mode") && !"p2p".equals(d.arg(0)))) {
                return Verdict.error(Reason.CONFLICT, "server directive in a client profile");
            }
            return Verdict.warn("server-only directive");
        }
        return switch (spec.support()) {
            case UNSUPPORTED -> Verdict.error(Reason.UNSUPPORTED_DIRECTIVE, spec.note());
            case IGNORED -> Verdict.of(Status.IGNORED, spec.note());
            case WARN -> Verdict.warn(spec.note());
            case SUPPORTED -> d.name().equals("remote") && !inConnection && hasBlocks
                    ? Verdict.warn("<connection> blocks are present and list the servers instead")
                    : notes.client(d);
        };
    }

    private Verdict server(Directive d, Spec spec) {
        if (DirectiveRules.SERVER_CLIENT_ONLY.contains(d.name())) {
            return Verdict.error(Reason.CONFLICT, "client directive in a server config");
        }
        if (d.name().equals("shaper")) {
            return Verdict.error(Reason.CONFLICT, DirectiveRules.SERVER_SHAPER);
        }
        if (d.name().equals("mode") && "p2p".equals(d.arg(0))) {
            return Verdict.error(Reason.UNSUPPORTED_DIRECTIVE, "point-to-point mode is not a server; use 'mode server'");
        }
        if (DirectiveRules.SERVER_HANDLED.contains(d.name())) {
            return notes.server(d);
        }
        if (spec.support() == Support.UNSUPPORTED) {
            return Verdict.error(Reason.UNSUPPORTED_DIRECTIVE, spec.note());
        }
        if (spec.support() == Support.IGNORED) {
            return Verdict.of(Status.IGNORED, spec.note());
        }
        if (DirectiveRules.SERVER_NOTE_FREE.contains(d.name())) {
            return Verdict.of(Status.IGNORED, "not needed: the Culvert server keeps its keys, device and privileges");
        }
        return Verdict.warn(spec.support() == Support.WARN ? spec.note() : "not implemented by the Culvert server");
    }
}
