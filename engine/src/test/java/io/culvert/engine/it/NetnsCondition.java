package io.culvert.engine.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks what {@link NetnsTest} needs. Outside CI a missing requirement disables the test with the reason;
 * with {@code CI=true} the test runs into {@link #beforeEach} and fails there instead. Stateless.
 */
public final class NetnsCondition implements ExecutionCondition, BeforeEachCallback {

    /** The stock openvpn the interop tests run as their peer: {@link StockOpenvpn#peer()}, fixed for the run. */
    public static final Path OPENVPN = StockOpenvpn.peer();
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();
    private static volatile Boolean netnsWorks;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = missing(tools(context));
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("netns requirements met");
        }
        return isCi() ? ConditionEvaluationResult.enabled("CI: will fail in beforeEach")
                : ConditionEvaluationResult.disabled("netns test skipped: " + String.join("; ", missing));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        List<String> missing = missing(tools(context));
        if (!missing.isEmpty()) {
            throw new AssertionError("CI=true but netns test requirements are missing: " + String.join("; ", missing));
        }
        announce(context, "stock peer", OPENVPN);
    }

    /** Prints, once per test class and role, which stock binary and version the test runs against (for CI logs). */
    static void announce(ExtensionContext context, String role, Path binary) {
        String testClass = context.getRequiredTestClass().getName();
        if (ANNOUNCED.add(testClass + " " + role)) {
            System.out.println(testClass + ": " + role + " " + binary + " = " + StockOpenvpn.version(binary));
        }
    }

    /** Human-readable list of unmet requirements; empty when the test can run. */
    public static List<String> missing(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("not running as uid 0");
        } else if (!netnsWorks()) {
            missing.add("'ip netns add' does not work here");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun is missing");
        }
        if (!Files.isExecutable(OPENVPN)) {
            missing.add(OPENVPN + " is missing" + (OPENVPN.equals(StockOpenvpn.DEBIAN) ? ""
                    : " (named by " + StockOpenvpn.PEER_VARIABLE + ")"));
        }
        for (String tool : tools) {
            if (which(tool).isEmpty()) {
                missing.add(tool + " is not on the PATH");
            }
        }
        return missing;
    }

    static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Finds an executable on the PATH (or {@code /usr/sbin}, {@code /sbin}). */
    public static Optional<Path> which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin";
        return Arrays.stream(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    }

    private static String[] tools(ExtensionContext context) {
        List<String> tools = new ArrayList<>();
        context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, NetnsTest.class))
                .ifPresent(a -> tools.addAll(List.of(a.tools())));
        context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, NetnsTest.class))
                .ifPresent(a -> tools.addAll(List.of(a.tools())));
        return tools.toArray(String[]::new);
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean netnsWorks() {
        Boolean known = netnsWorks;
        if (known == null) {
            try (Netns probe = Netns.create("probe")) {
                known = Netns.exists(probe.name());
            } catch (RuntimeException e) {
                known = false;
            }
            netnsWorks = known;
        }
        return known;
    }
}
