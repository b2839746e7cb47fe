package io.culvert.engine.server.route;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The server's forwarding logic stays pure: common, net and the JDK only, no I/O, no threads. */
class RouteArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.culvert.engine.server.route");

    @Test
    void dependsOnlyOnCommonAndTheJdk() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.culvert.engine.server.route..", "io.culvert.engine.common..", "io.culvert.engine.net..", "java..")
                .check(CLASSES);
    }

    @Test
    void doesNoIoAndStartsNoThreads() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.nio.channels..", "java.nio.file..", "java.io..")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, java.net.Socket.class,
                        java.net.DatagramSocket.class)
                .check(CLASSES);
    }
}
