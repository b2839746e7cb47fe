package io.culvert.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.culvert.engine.Layering;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The app sees the engine only through its API (and the in-process engine as its composition root). */
class AppArchitectureTest {
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.culvert.app");

    /**
     * The app's row of docs/architecture.md "Allowed dependencies", from the engine's rule set ({@link Layering}, which the
     * engine's ArchitectureDocTest holds equal to the page): the app talks to the engine through {@code engine.api};
     * {@code LocalEngine} or {@code RemoteEngine} (the culvertd client) implements it; its threads come from the engine's
     * one thread factory, {@code Threads} (ADR 0049).
     */
    @Test
    void appUsesOnlyWhatItsRowAllows() {
        List<ArchRule> rules = Layering.rules(Layering.row("io.culvert.app"));
        assertFalse(rules.isEmpty());
        rules.forEach(r -> r.check(APP));
    }

    @Test
    void appMakesThreadsOnlyThroughThreads() {
        noClasses().should().callCodeUnitWhere(new DescribedPredicate<JavaCall<?>>(
                        "make a thread other than through io.culvert.engine.common.Threads") {
                    @Override
                    public boolean test(JavaCall<?> call) {
                        String owner = call.getTargetOwner().getFullName();
                        String name = call.getName();
                        List<String> params = call.getTarget().getRawParameterTypes().stream().map(JavaClass::getFullName).toList();
                        return switch (owner) {
                            case "java.lang.Thread" -> List.of("<init>", "ofPlatform", "ofVirtual", "startVirtualThread").contains(name);
                            case "java.util.concurrent.Executors" -> name.equals("defaultThreadFactory")
                                    || name.startsWith("new") && !params.contains("java.util.concurrent.ThreadFactory");
                            case "java.util.concurrent.CompletableFuture" -> (name.equals("runAsync") || name.equals("supplyAsync"))
                                    && params.size() == 1;
                            default -> false;
                        };
                    }
                })
                .because("every thread is named and has the handler that logs and counts an uncaught exception (ADR 0049)")
                .check(APP);
    }

    @Test
    void appRunsNoChildProcesses() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .orShould().callCodeUnitWhere(new DescribedPredicate<JavaCall<?>>("call Runtime.exec") {
                    @Override
                    public boolean test(JavaCall<?> call) {
                        return call.getTargetOwner().isEquivalentTo(Runtime.class) && call.getName().equals("exec");
                    }
                })
                .because("the engine's common.Processes is the one way to run a program (argv, bounded output, a timeout"
                        + " that kills the tree); the app asks the engine")
                .check(APP);
    }
}
