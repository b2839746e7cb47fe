package io.culvert.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The app sees the engine only through its API (and the in-process engine as its composition root). */
class AppArchitectureTest {
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.culvert.app");

    @Test
    void appUsesOnlyTheEngineApi() {
        noClasses().that().resideInAPackage("io.culvert.app..")
                .should().dependOnClassesThat(resideInAPackage("io.culvert.engine..")
                        .and(not(resideInAnyPackage("io.culvert.engine.api..", "io.culvert.engine.local..", "io.culvert.engine.remote.."))))
                .because("the app talks to the engine through io.culvert.engine.api; LocalEngine or RemoteEngine (the culvertd client) implements it")
                .check(APP);
    }
}
