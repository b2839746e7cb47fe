package io.culvert.engine;

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
 * tables and every row names a package that exists; every engine package has a row in "Allowed dependencies", and
 * what each package really uses (its classes' dependencies, read by ArchUnit) is within what its row says it may use.
 * {@link ArchitectureTest} enforces the rules; this test holds the page to the code.
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

    @Test
    void whatEachEnginePackageUsesIsWhatItsRowAllows() throws IOException {
        Map<String, Set<String>> rows = new LinkedHashMap<>(); // package (engine-relative) -> allowed, null = any
        Map<String, Boolean> withSubpackages = new LinkedHashMap<>();
        for (List<String> row : table("Allowed dependencies", "package")) {
            String key = row.get(0);
            boolean subs = key.contains("subpackages") || key.contains("(with");
            Set<String> allowed = row.get(1).contains("not restricted") ? null : new TreeSet<>(ticked(row.get(1)));
            List<String> names = ticked(key);
            if (key.contains("(with")) {
                names = List.of(names.getFirst()); // "(with `file` and `report`)" names its subpackages
            }
            for (String name : names) {
                rows.put(shortName(name), allowed);
                withSubpackages.put(shortName(name), subs);
            }
        }
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass c : CLASSES) {
            String from = shortName(c.getPackageName());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (target.startsWith("io.culvert.")) {
                    uses.computeIfAbsent(from, k -> new TreeSet<>()).add(shortName(target));
                }
            }
            uses.computeIfAbsent(from, k -> new TreeSet<>());
        }
        List<String> problems = new ArrayList<>();
        for (var e : uses.entrySet()) {
            String pkg = e.getKey();
            String row = rowFor(pkg, rows.keySet(), withSubpackages);
            if (row == null) {
                problems.add(pkg + " has no row");
                continue;
            }
            Set<String> allowed = rows.get(row);
            if (allowed == null) {
                continue;
            }
            for (String target : e.getValue()) {
                if (!covered(target, row) && !covered(target, "common") && !covered(target, "net") && allowed.stream().noneMatch(a -> covered(target, a))) {
                    problems.add(pkg + " uses " + target + ", which its row (" + row + ") does not allow");
                }
            }
        }
        assertTrue(problems.isEmpty(), "docs/architecture.md, Allowed dependencies:\n  " + String.join("\n  ", problems));
    }

    /** The row that covers {@code pkg}: its own, else the nearest ancestor's whose row includes subpackages. */
    private static String rowFor(String pkg, Set<String> rows, Map<String, Boolean> withSubpackages) {
        if (rows.contains(pkg)) {
            return pkg;
        }
        for (String p = pkg; p.contains("."); ) {
            p = p.substring(0, p.lastIndexOf('.'));
            if (rows.contains(p) && withSubpackages.get(p)) {
                return p;
            }
        }
        return null;
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
