package io.culvert.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.culvert.engine.common.Threads;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every thread of the main code is made by {@link Threads} (ADR 0049), so each has a name and the handler that logs and
 * counts an uncaught exception. The app's AppArchitectureTest holds the same rule for io.culvert.app.
 */
class ThreadStartArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.culvert");

    /** A call that makes or starts a thread, or a pool with the JDK's own threads, bypassing {@link Threads}. */
    static final DescribedPredicate<JavaCall<?>> STARTS_A_THREAD = new DescribedPredicate<>(
            "make a thread other than through io.culvert.engine.common.Threads (new Thread, Thread.ofPlatform/ofVirtual,"
                    + " Thread.startVirtualThread, an Executors pool without a ThreadFactory, the common pool)") {
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
    };

    static ArchRule onlyThreadsMakesThreads() {
        return noClasses().that().doNotHaveFullyQualifiedName(Threads.class.getName())
                .should().callCodeUnitWhere(STARTS_A_THREAD)
                .because("every thread is named and has the handler that logs and counts an uncaught exception (ADR 0049)");
    }

    @Test
    void mainCodeMakesThreadsOnlyThroughThreads() {
        onlyThreadsMakesThreads().check(CLASSES);
    }
}
