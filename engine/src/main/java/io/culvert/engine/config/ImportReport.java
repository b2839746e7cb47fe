package io.culvert.engine.config;

import io.culvert.engine.config.Directives.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What Culvert does with each directive of an imported profile or server config, and what stops it
 * from being used. Every directive outside and inside {@code <connection>} blocks gets exactly one
 * {@link Item}, in file order; {@link #problems()} lists the errors, each with its line and a
 * {@link Reason}. Instances are immutable.
 */
public record ImportReport(Role role, List<Item> items, List<Problem> problems) {

    private static final Set<String> SERVER_MARKERS = Set.of("server", "server-bridge", "server-ipv6", "tls-server");

    /** What Culvert does with one directive. */
    public enum Status {
        /** Read and honoured as OpenVPN does. */
        SUPPORTED,
        /** Accepted and skipped; the note says why. */
        IGNORED,
        /** Honoured in an equivalent form; the note says which. */
        TRANSLATED,
        /** Known, but Culvert cannot honour it; the profile is not usable. */
        UNSUPPORTED,
        /** Not a directive Culvert knows; kept verbatim in the profile. */
        UNKNOWN
    }

    /**
     * One directive's classification. {@code directive} is the name as written (for {@code setenv opt X}
     * it is X); {@code warning} marks ignored directives the user may rely on.
     */
    public record Item(int line, String directive, Status status, String note, boolean warning,
            boolean inConnection) {}

    /** One error that makes the file unusable. */
    public record Problem(int line, String directive, Reason reason, String detail) {
        public static Problem of(OvpnParseException e) {
            return new Problem(e.line(), e.directive(), e.reason(), e.detail());
        }
    }

    public ImportReport {
        items = List.copyOf(items);
        problems = List.copyOf(problems);
    }

    /** Classifies every directive of {@code file} against the catalogue; file references are not read. */
    public static ImportReport of(OvpnFile file, Role role) {
        return of(file, role, false);
    }

    /** As {@link #of(OvpnFile, Role)}; with {@code ignoreUnknown} unknown directives are not errors. */
    public static ImportReport of(OvpnFile file, Role role, boolean ignoreUnknown) {
        return new ImportClassifier(role, ignoreUnknown).classify(file);
    }

    /**
     * Classifies {@code file} and, when that finds no error, reads it as a {@link ClientConfig} or
     * {@link ServerConfig} too (values, required directives, conflicts, files under {@code baseDir}),
     * adding the first error found there.
     */
    public static ImportReport check(OvpnFile file, Role role, Path baseDir, boolean ignoreUnknown) {
        ImportReport report = of(file, role, ignoreUnknown);
        if (!report.usable()) {
            return report;
        }
        try {
            if (role == Role.SERVER) {
                ServerConfig.from(file, baseDir, ignoreUnknown);
            } else {
                ClientConfig.from(file, baseDir, ignoreUnknown);
            }
            return report;
        } catch (OvpnParseException e) {
            return new ImportReport(role, report.items(), List.of(Problem.of(e)));
        }
    }

    /**
     * Reads, parses and {@link #check checks} the file at {@code path}, resolving file references against
     * its folder. A file that cannot be read or lexed gives a report with no items and that one problem.
     * With a null {@code role} the role is {@link #roleOf detected}.
     */
    public static ImportReport load(Path path, Role role, boolean ignoreUnknown) {
        OvpnFile file;
        try {
            file = OvpnFile.load(path);
        } catch (OvpnParseException e) {
            return new ImportReport(role == null ? Role.CLIENT : role, List.of(), List.of(Problem.of(e)));
        }
        Role r = role == null ? roleOf(file) : role;
        return check(file, r, path.toAbsolutePath().getParent(), ignoreUnknown);
    }

    /** SERVER when the file has {@code server}, {@code server-bridge}, {@code server-ipv6}, {@code tls-server} or {@code mode server}. */
    public static Role roleOf(OvpnFile file) {
        for (Directive d : file.directives()) {
            if (SERVER_MARKERS.contains(d.name()) || (d.name().equals("mode") && "server".equals(d.arg(0)))) {
                return Role.SERVER;
            }
        }
        return Role.CLIENT;
    }

    /** True when nothing stops Culvert from using the file. */
    public boolean usable() {
        return problems.isEmpty();
    }

    /** How many directives have {@code status}. */
    public long count(Status status) {
        return items.stream().filter(i -> i.status() == status).count();
    }
}
