package io.culvert.engine.config.report;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
        UNKNOWN,
        /**
         * A directive Culvert knows whose line is wrong as written (a bad value, an unreadable file, a conflict); the
         * note is the problem's detail. The file is not usable.
         */
        REFUSED
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
        List<Problem> problems = new ArrayList<>(report.problems());
        List<Item> items = new ArrayList<>(report.items());
        Set<Integer> skipped = new HashSet<>();
        Set<String> removed = new HashSet<>();
        for (Problem p : problems) {
            skipped.add(p.line());
            removed.add(p.directive());
            removed.addAll(PROVIDES.getOrDefault(p.directive(), Set.of()));
        }
        // Read the config; after an error at a line, read it again without that line, so every problem is listed at
        // its line (a broken <cert> and a missing <ca> too). A missing directive ends the search, unless it is one
        // whose line was taken out: that absence is the earlier problem, not a new one.
        for (int round = 0; round < MAX_READS; round++) {
            OvpnFile rest = without(file, skipped);
            try {
                List<String> warnings = role == Role.SERVER ? ServerConfig.from(rest, baseDir, ignoreUnknown).warnings()
                        : ClientConfig.from(rest, baseDir, ignoreUnknown).warnings();
                if (problems.isEmpty()) {
                    attachWarnings(items, warnings);
                }
                break;
            } catch (OvpnParseException e) {
                Problem p = Problem.of(e);
                if (p.line() > 0 && skipped.add(p.line())) {
                    removed.add(p.directive());
                    removed.addAll(PROVIDES.getOrDefault(p.directive(), Set.of()));
                    problems.add(p);
                    continue;
                }
                if (p.line() <= 0 && !removed.contains(p.directive()) && !problems.contains(p)) {
                    problems.add(p);
                }
                break;
            }
        }
        refuseLines(items, problems);
        return new ImportReport(role, items, problems);
    }

    /**
     * Marks the item of each line a problem names as {@link Status#REFUSED}, with the problem's detail as its note, so
     * that a refused line's row never reads "supported". Unknown and unsupported directives keep their status: it
     * already says why.
     */
    private static void refuseLines(List<Item> items, List<Problem> problems) {
        for (Problem p : problems) {
            if (p.line() <= 0) {
                continue;
            }
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                if (it.line() == p.line() && it.status() != Status.UNKNOWN && it.status() != Status.UNSUPPORTED
                        && it.status() != Status.REFUSED) {
                    items.set(i, new Item(it.line(), it.directive(), Status.REFUSED, p.detail(), false, it.inConnection()));
                }
            }
        }
    }

    /**
     * What a directive taken out for its own problem also provides, so that the absence of these is not listed as a
     * second problem (a PKCS#12 bundle holds the CA, the certificate and the key; a cert goes with its key).
     */
    private static final java.util.Map<String, Set<String>> PROVIDES = java.util.Map.of(
            "pkcs12", Set.of("ca", "cert", "key"), "cert", Set.of("key"), "key", Set.of("cert"),
            "connection", Set.of("remote"), "remote", Set.of("remote"));

    /** How often {@link #check} reads a config at most, i.e. how many problems at lines it lists. */
    private static final int MAX_READS = 20;

    /** {@code file} without the directives on {@code lines} (in <connection> blocks too). */
    private static OvpnFile without(OvpnFile file, Set<Integer> lines) {
        if (lines.isEmpty()) {
            return file;
        }
        List<List<Directive>> connections = file.connections().stream()
                .map(c -> c.stream().filter(d -> !lines.contains(d.line())).toList()).toList();
        return new OvpnFile(file.directives().stream().filter(d -> !lines.contains(d.line())).toList(), connections);
    }

    /** Marks the item of each "line N: ..." warning of the read config as a warning with that text. */
    private static void attachWarnings(List<Item> items, List<String> warnings) {
        for (String w : warnings) {
            java.util.regex.Matcher m = LINE_WARNING.matcher(w);
            if (!m.matches()) {
                continue;
            }
            int line = Integer.parseInt(m.group(1));
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                if (it.line() == line && !it.warning()) {
                    items.set(i, new Item(it.line(), it.directive(), it.status(), m.group(2), true, it.inConnection()));
                }
            }
        }
    }

    private static final java.util.regex.Pattern LINE_WARNING = java.util.regex.Pattern.compile("line (\\d+): (.*)");

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
