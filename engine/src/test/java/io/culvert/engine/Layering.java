package io.culvert.engine;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule set of docs/architecture.md, "Allowed dependencies": one {@link Row} per package row of the page's table,
 * the one source the ArchUnit rules are built from ({@link ArchitectureTest}, the app's {@code AppArchitectureTest})
 * and that {@link ArchitectureDocTest} holds equal to the page, both ways. To change who may use whom, change a row
 * here and on the page together.
 *
 * <p>Names are spelled as on the page: engine packages relative to {@code io.culvert.engine} ({@code server.route}),
 * others in full ({@code io.culvert.cli}). A name means that package with its subpackages, except where a more specific
 * row exists: {@code config}'s row covers {@code io.culvert.engine.config} only, because {@code config.file} and
 * {@code config.report} have rows of their own. An engine package may use itself, and {@code common} and {@code net}
 * besides what its row lists, unless the row is {@linkplain Row#isolated isolated} ("nothing else in Culvert").
 */
public final class Layering {
    /** What every engine package may use besides its row: the shared value types and the address/header logic. */
    public static final Set<String> EVERYONE = Set.of("common", "net");

    /**
     * One row: classes of {@code pkg} may use only Culvert classes within {@code mayUse} (null: not restricted), and,
     * when {@code outsideOnly} is not null, from outside Culvert only classes in those packages ({@code java..},
     * {@code java.nio} exactly).
     */
    public record Row(String pkg, Set<String> mayUse, List<String> outsideOnly) {
        public Row {
            mayUse = mayUse == null ? null : Set.copyOf(mayUse);
            outsideOnly = outsideOnly == null ? null : List.copyOf(outsideOnly);
        }

        static Row engine(String pkg, String... mayUse) {
            Set<String> s = new TreeSet<>(Arrays.asList(mayUse));
            s.addAll(EVERYONE);
            return new Row(pkg, s, null);
        }

        static Row isolated(String pkg) {
            return new Row(pkg, Set.of(), null);
        }

        Row outsideOnly(String... packages) {
            return new Row(pkg, mayUse, List.of(packages));
        }

        /** True for a package of the engine module's engine ({@code io.culvert.engine..}). */
        public boolean isEngine() {
            return !pkg.startsWith("io.culvert.");
        }
    }

    /** Every row, in the page's order. */
    public static final List<Row> ROWS = List.of(
            Row.isolated("common"),
            Row.isolated("net").outsideOnly("java.."),
            Row.engine("api"),
            Row.engine("tls"),
            Row.engine("transport", "sys"),
            Row.engine("tun", "sys"),
            Row.engine("config.file"),
            Row.engine("config", "config.file"),
            Row.engine("config.report", "config", "config.file"),
            Row.engine("packet").outsideOnly("java.lang..", "java.util..", "java.nio"),
            Row.engine("crypto").outsideOnly("java..", "javax.crypto.."),
            Row.engine("protocol").outsideOnly("java.."),
            Row.engine("pki", "config", "crypto", "tls"),
            Row.engine("session", "api", "crypto", "protocol", "tls"),
            Row.engine("warmup", "tls", "crypto"),
            Row.engine("client", "session", "api", "config", "crypto", "packet", "protocol", "sys", "tls", "transport", "tun", "warmup"),
            Row.engine("server", "session", "api", "config", "crypto", "packet", "protocol", "sys", "tls", "transport", "tun", "warmup"),
            Row.engine("server.route"),
            Row.engine("server.pool"),
            Row.engine("local", "client", "server", "api", "config", "tun", "warmup", "demo"),
            Row.engine("profiles", "api", "config", "store"),
            Row.engine("serveradmin", "api", "config", "pki", "store"),
            Row.engine("fleetadmin", "api", "pki", "store"),
            Row.engine("fleet", "server", "store", "api", "config", "tls"),
            Row.engine("demo", "tun"),
            Row.engine("management", "api", "config"),
            Row.engine("service", "api", "config", "daemon.protocol", "daemon.policy"),
            Row.engine("daemon.protocol", "api").outsideOnly("java.."),
            Row.engine("daemon.policy", "config"),
            Row.engine("remote", "daemon.protocol", "daemon.policy", "api", "config"),
            Row.engine("sys"),
            Row.engine("store", "config", "api"),
            new Row("io.culvert.cli", null, null),
            new Row("io.culvert.app", Set.of("api", "local", "profiles", "serveradmin", "fleetadmin", "remote", "common.Threads"), null));

    private Layering() {}

    /** The row spelled {@code pkg} on the page. */
    public static Row row(String pkg) {
        return ROWS.stream().filter(r -> r.pkg().equals(pkg)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("docs/architecture.md has no row " + pkg));
    }

    /** The row whose rule covers the package {@code fullName}: its own, else the nearest ancestor's. */
    public static Optional<Row> rowOf(String fullName) {
        Row best = null;
        for (Row r : ROWS) {
            String f = full(r.pkg());
            if ((fullName.equals(f) || fullName.startsWith(f + "."))
                    && (best == null || f.length() > full(best.pkg()).length())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code server.route} → {@code io.culvert.engine.server.route}; full names stay. */
    public static String full(String name) {
        return name.startsWith("io.culvert.") ? name : "io.culvert.engine." + name;
    }

    /** The ArchUnit rules of a row: the Culvert packages it may use, and what it may use outside Culvert if that is limited. */
    public static List<ArchRule> rules(Row row) {
        List<ArchRule> rules = new ArrayList<>();
        DescribedPredicate<JavaClass> inRow = inRow(row);
        String because = "docs/architecture.md, Allowed dependencies, row " + row.pkg();
        if (row.mayUse() != null) {
            Set<String> allowed = new LinkedHashSet<>(row.mayUse());
            allowed.add(row.pkg());
            rules.add(noClasses().that(inRow)
                    .should().dependOnClassesThat(resideInAPackage("io.culvert..").and(not(within(allowed))))
                    .because(because));
        }
        if (row.outsideOnly() != null) {
            List<String> packages = new ArrayList<>(row.outsideOnly());
            packages.add("io.culvert..");
            rules.add(classes().that(inRow)
                    .should().onlyDependOnClassesThat().resideInAnyPackage(packages.toArray(String[]::new))
                    .because(because));
        }
        return rules;
    }

    /** Classes under the row's package, less those under a more specific row. */
    private static DescribedPredicate<JavaClass> inRow(Row row) {
        String f = full(row.pkg());
        String[] deeper = ROWS.stream().map(r -> full(r.pkg())).filter(p -> p.startsWith(f + ".")).map(p -> p + "..")
                .toArray(String[]::new);
        DescribedPredicate<JavaClass> in = resideInAPackage(f + "..");
        return deeper.length == 0 ? in : in.and(not(resideInAnyPackage(deeper)));
    }

    /** Classes in any of the packages (with subpackages) or being any of the classes named. */
    private static DescribedPredicate<JavaClass> within(Set<String> names) {
        Set<String> full = new TreeSet<>();
        names.forEach(n -> full.add(full(n)));
        return DescribedPredicate.describe("within " + names, c -> full.stream().anyMatch(n -> c.getName().equals(n)
                || c.getPackageName().equals(n) || c.getPackageName().startsWith(n + ".")));
    }
}
