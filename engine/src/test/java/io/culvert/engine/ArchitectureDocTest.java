package io.culvert.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/architecture.md true, where a newcomer starts reading: every package of the code has a row in its package
 * tables and every row names a package that exists; the "Allowed dependencies" table is exactly {@link Layering}, the
 * rule set {@link ArchitectureTest} enforces on the classes (a row without a rule, or a rule without a row, fails); and
 * the package diagram on the page is the one the code's dependencies draw.
 */
class ArchitectureDocTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path DOC = ROOT.resolve("docs/architecture.md");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.culvert.engine", "io.culvert.cli");

    @Test
    void everyPackageHasARowAndEveryRowAPackage() throws IOException {
        Set<String> code = new TreeSet<>();
        code.addAll(sourcePackages(ROOT.resolve("engine/src/main/java")));
        code.addAll(sourcePackages(ROOT.resolve("app/src/main/java")));
        Set<String> documented = new TreeSet<>();
        for (String section : List.of("Engine packages", "App packages")) {
            for (List<String> row : table(section, "package")) {
                documented.addAll(packagesIn(row.getFirst()));
            }
        }
        Set<String> missing = new TreeSet<>(code);
        missing.removeAll(documented);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(code);
        assertTrue(missing.isEmpty() && stale.isEmpty(), "docs/architecture.md package tables: packages without a row "
                + missing + ", rows naming no package " + stale);
    }

    /**
     * The page's "Allowed dependencies" table is {@link Layering#ROWS}, the rule set ArchitectureTest enforces, both
     * ways: every row of the page is a rule with the same packages (and the same limits outside Culvert), and every rule
     * has its row. Each row names a package of the code, and every subpackage a row names in parentheses exists.
     */
    @Test
    void theAllowedDependenciesTableIsTheRuleSet() throws IOException {
        Map<String, Layering.Row> page = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> code = new TreeSet<>();
        code.addAll(sourcePackages(ROOT.resolve("engine/src/main/java")));
        code.addAll(sourcePackages(ROOT.resolve("app/src/main/java")));
        for (List<String> cells : table("Allowed dependencies", "package")) {
            String key = cells.get(0);
            int paren = key.indexOf('(');
            List<String> names = ticked(paren < 0 ? key : key.substring(0, paren)).stream().map(ArchitectureDocTest::shortName).toList();
            for (String name : names) {
                if (!code.contains(Layering.full(name))) {
                    problems.add("row " + name + " names no package of the code");
                }
                if (paren >= 0) {
                    for (String sub : ticked(key.substring(paren))) {
                        if (!code.contains(Layering.full(name) + "." + sub)) {
                            problems.add("row " + name + " names " + sub + ", which is no subpackage of it");
                        }
                    }
                }
                if (page.put(name, pageRow(name, cells.get(1), cells.size() > 2 ? cells.get(2) : "")) != null) {
                    problems.add("two rows for " + name);
                }
            }
        }
        Map<String, Layering.Row> rules = new LinkedHashMap<>();
        Layering.ROWS.forEach(r -> rules.put(r.pkg(), r));
        for (String name : rules.keySet()) {
            if (!page.containsKey(name)) {
                problems.add("rule " + name + " (Layering) has no row on the page");
            }
        }
        for (var e : page.entrySet()) {
            Layering.Row rule = rules.get(e.getKey());
            if (rule == null) {
                problems.add("row " + e.getKey() + " is enforced by no rule (Layering has no row " + e.getKey() + ")");
            } else if (!e.getValue().equals(rule)) {
                problems.add("row " + e.getKey() + " says " + describe(e.getValue()) + ", the rule (Layering) " + describe(rule));
            }
        }
        assertTrue(problems.isEmpty(), "docs/architecture.md, Allowed dependencies, against Layering (the ArchUnit rules):\n  "
                + String.join("\n  ", problems));
    }

    /**
     * The package diagram on the page is what the code's dependencies draw: one node per row of "Allowed dependencies"
     * (of the engine module: the app is another module), one arrow where a class of one row uses a class of another,
     * leaving out {@code common} and {@code net}, which every package may use. Regenerate with
     * {@code ./mvnw -o -pl engine test -Dtest=ArchitectureDocTest -Dculvert.arch.write=true} and commit the page.
     */
    @Test
    void theDiagramIsWhatTheCodeDraws() throws IOException {
        String generated = diagram();
        String text = Files.readString(DOC);
        int marker = text.indexOf(DIAGRAM_MARKER);
        assertTrue(marker >= 0, "docs/architecture.md has no line " + DIAGRAM_MARKER);
        int start = text.indexOf("```mermaid\n", marker);
        int end = text.indexOf("```\n", start + 11);
        assertTrue(start >= 0 && end > start, "no ```mermaid block after " + DIAGRAM_MARKER);
        String committed = text.substring(start, end + 4);
        if (Boolean.getBoolean("culvert.arch.write") && !committed.equals(generated)) {
            Files.writeString(DOC, text.substring(0, start) + generated + text.substring(end + 4));
            committed = generated;
        }
        assertEquals(generated, committed, "docs/architecture.md's package diagram is not what the code draws; regenerate with"
                + " -Dculvert.arch.write=true");
    }

    /** Every arrow the code draws is one its row allows (ArchitectureTest checks each class; this is the same at a glance). */
    @Test
    void everyArrowIsAllowedByItsRow() {
        List<String> problems = new ArrayList<>();
        edges().forEach((from, targets) -> {
            Set<String> allowed = Layering.row(from).mayUse();
            for (String to : targets) {
                if (allowed != null && !covered(to, from) && allowed.stream().noneMatch(a -> covered(to, a))) {
                    problems.add(from + " → " + to);
                }
            }
        });
        assertTrue(problems.isEmpty(), "arrows no row of Allowed dependencies allows: " + problems);
    }

    static final String DIAGRAM_MARKER = "<!-- package diagram: generated from the code by ArchitectureDocTest"
            + " (-Dculvert.arch.write=true) -->";

    /** The Mermaid block: rows as nodes, in the page's order, then the arrows sorted. */
    static String diagram() {
        StringBuilder sb = new StringBuilder("```mermaid\nflowchart TD\n");
        Map<String, Set<String>> edges = edges();
        for (Layering.Row r : Layering.ROWS) {
            if (edges.containsKey(r.pkg()) || edges.values().stream().anyMatch(t -> t.contains(r.pkg()))) {
                sb.append("    ").append(id(r.pkg())).append("[\"").append(r.pkg()).append("\"]\n");
            }
        }
        edges.forEach((from, targets) -> targets.forEach(to -> sb.append("    ").append(id(from)).append(" --> ").append(id(to))
                .append('\n')));
        return sb.append("```\n").toString();
    }

    /** Row → rows its classes use, from the compiled classes; {@code common} and {@code net} left out. */
    private static Map<String, Set<String>> edges() {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (JavaClass c : CLASSES) {
            String from = Layering.rowOf(c.getPackageName()).orElseThrow(() -> new AssertionError("no row covers "
                    + c.getPackageName())).pkg();
            Set<String> targets = edges.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (target.startsWith("io.culvert.")) {
                    String to = Layering.rowOf(target).orElseThrow(() -> new AssertionError("no row covers " + target)).pkg();
                    if (!to.equals(from) && !Layering.EVERYONE.contains(to)) {
                        targets.add(to);
                    }
                }
            }
        }
        edges.values().removeIf(Set::isEmpty);
        return edges;
    }

    private static String id(String pkg) {
        return pkg.replace("io.culvert.", "").replace('.', '_');
    }

    /**
     * A row as the page states it: the ticked packages of "may use" (engine-relative), plus {@code common} and
     * {@code net} for an engine package unless it may use "nothing else in Culvert"; "not restricted" is no limit. A
     * limit outside Culvert is the ticked packages after "from outside Culvert only" in "also", up to a ";" or "("
     * ({@code java.*} is {@code java..}).
     */
    private static Layering.Row pageRow(String name, String mayUse, String also) {
        Set<String> uses = null;
        if (!mayUse.contains("not restricted")) {
            uses = new TreeSet<>();
            for (String t : ticked(mayUse)) {
                uses.add(shortName(t));
            }
            if (!name.startsWith("io.culvert.") && !mayUse.contains("nothing else in Culvert")) {
                uses.addAll(Layering.EVERYONE);
            }
        }
        List<String> outside = null;
        int at = also.indexOf("from outside Culvert only");
        if (at >= 0) {
            String rest = also.substring(at);
            int stop = rest.length();
            for (char c : new char[] {';', '('}) {
                if (rest.indexOf(c) >= 0) {
                    stop = Math.min(stop, rest.indexOf(c));
                }
            }
            outside = ticked(rest.substring(0, stop)).stream().map(t -> t.endsWith(".*") ? t.substring(0, t.length() - 2) + ".." : t)
                    .toList();
        }
        return new Layering.Row(name, uses, outside);
    }

    private static String describe(Layering.Row r) {
        return "may use " + (r.mayUse() == null ? "anything" : new TreeSet<>(r.mayUse()))
                + (r.outsideOnly() == null ? "" : ", from outside Culvert only " + r.outsideOnly());
    }

    private static boolean covered(String target, String allowed) {
        return target.equals(allowed) || target.startsWith(allowed + ".");
    }

    /** {@code io.culvert.engine.x.y} and {@code engine.x.y} → {@code x.y}; other names stay whole. */
    private static String shortName(String name) {
        String n = name.endsWith("..") ? name.substring(0, name.length() - 2) : name;
        if (n.startsWith("io.culvert.engine.")) {
            return n.substring("io.culvert.engine.".length());
        }
        if (n.startsWith("engine.")) {
            return n.substring("engine.".length());
        }
        return n;
    }

    /** Full package names in a package-table cell: {@code engine.x}, {@code io.culvert.app.client}, {@code .server}. */
    private static List<String> packagesIn(String cell) {
        List<String> out = new ArrayList<>();
        String last = null;
        for (String t : ticked(cell)) {
            String full;
            if (t.startsWith(".") && last != null) {
                full = last.substring(0, last.lastIndexOf('.')) + t;
            } else if (t.startsWith("engine.")) {
                full = "io.culvert." + t;
            } else {
                full = t;
            }
            out.add(full);
            last = full;
        }
        return out;
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The rows (cells) of the first table under the heading {@code ## section} whose header starts with {@code first}. */
    private static List<List<String>> table(String section, String first) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int i = lines.indexOf("## " + section);
        assertTrue(i >= 0, "docs/architecture.md has no section '## " + section + "'");
        while (i < lines.size() && !lines.get(i).startsWith("| " + first + " |")) {
            i++;
        }
        assertTrue(i < lines.size(), "no table under '## " + section + "'");
        List<List<String>> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("(?<!\\\\)\\|");
            List<String> row = new ArrayList<>();
            for (int c = 1; c < cells.length; c++) {
                row.add(cells[c].trim());
            }
            rows.add(row);
        }
        return rows;
    }

    private static Set<String> sourcePackages(Path sources) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(sources)) {
            s.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("module-info.java"))
                    .forEach(p -> out.add(sources.relativize(p.getParent()).toString().replace('/', '.')));
        }
        return out;
    }
}
