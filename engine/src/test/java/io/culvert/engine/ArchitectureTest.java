package io.culvert.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.culvert.engine.client.ClientSession;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.TunDevice;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The package layering of docs/architecture.md as executable rules. Each package may use only the Culvert
 * packages its row of "Allowed dependencies" lists ({@link Layering}, held equal to the page by
 * {@link ArchitectureDocTest}); the rules that cut across packages follow. A failing rule means the code drifted
 * from the documented architecture: change the code, or change the page and {@link Layering} together.
 */
class ArchitectureTest {
    private static final String ENGINE = "io.culvert.engine..";
    private static final String CULVERT = "io.culvert..";
    private static final String CRYPTO = "io.culvert.engine.crypto..";
    private static final String PROTOCOL = "io.culvert.engine.protocol..";
    private static final String TLS = "io.culvert.engine.tls..";
    private static final String PKI = "io.culvert.engine.pki..";
    private static final String TRANSPORT = "io.culvert.engine.transport..";
    private static final String SESSION = "io.culvert.engine.session..";
    private static final String STORE = "io.culvert.engine.store..";
    private static final String DEMO = "io.culvert.engine.demo..";
    private static final String LOCAL = "io.culvert.engine.local..";
    private static final String PROFILES = "io.culvert.engine.profiles..";
    private static final String SERVER_ADMIN = "io.culvert.engine.serveradmin..";
    private static final String CLI = "io.culvert.cli..";
    private static final String SERVICE = "io.culvert.engine.service..";
    private static final String REMOTE = "io.culvert.engine.remote..";
    private static final String DAEMON_PROTOCOL = "io.culvert.engine.daemon.protocol..";
    private static final String DAEMON_POLICY = "io.culvert.engine.daemon.policy..";
    private static final String SYS = "io.culvert.engine.sys..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.culvert");

    /**
     * One dynamic test per row of docs/architecture.md's "Allowed dependencies" ({@link Layering#ROWS}, which
     * {@link ArchitectureDocTest} holds equal to the page): the Culvert packages each package may use, and where the row
     * limits it, what it may use from outside Culvert. The app's row is checked by the app's AppArchitectureTest.
     */
    @TestFactory
    Stream<DynamicTest> eachPackageUsesOnlyWhatItsRowAllows() {
        return Layering.ROWS.stream().filter(r -> !r.pkg().startsWith("io.culvert.app"))
                .flatMap(r -> Layering.rules(r).stream().map(rule -> dynamicTest(r.pkg(), () -> rule.check(CLASSES))));
    }

    @Test
    void remoteDoesNotDependOnTheService() {
        noClasses().that().resideInAPackage(REMOTE)
                .should().dependOnClassesThat().resideInAPackage(SERVICE)
                .because("client and daemon share only the contract (daemon.protocol, daemon.policy); the app must not carry"
                        + " the privileged service's code along")
                .check(CLASSES);
    }

    @Test
    void daemonProtocolIsTheContractAlone() {
        noClasses().that().resideInAPackage(DAEMON_PROTOCOL)
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
                .because("the culvertd messages and their codec are what both sides share; they know nothing of sockets"
                        + " (framing works on streams)")
                .check(CLASSES);
    }

    @Test
    void onlyTheCodecTurnsMessagesIntoJson() {
        noClasses().that().resideOutsideOfPackage(DAEMON_PROTOCOL)
                .should().dependOnClassesThat().belongToAnyOf(io.culvert.engine.daemon.protocol.Json.class)
                .because("the service and the remote engine handle typed messages (ToService, ToClient); MessageCodec is the"
                        + " one place a message is a map of JSON members")
                .check(CLASSES);
    }

    @Test
    void everyPackageFallsUnderARow() {
        Set<String> without = new TreeSet<>();
        CLASSES.forEach(c -> {
            if (Layering.rowOf(c.getPackageName()).isEmpty()) {
                without.add(c.getPackageName());
            }
        });
        assertTrue(without.isEmpty(), "packages no row of docs/architecture.md (Layering) covers, so no rule holds: " + without);
    }

    @Test
    void onlyTheServiceReadsPeerCredentials() {
        noClasses().that().resideOutsideOfPackage(SERVICE)
                .should().dependOnClassesThat().resideInAPackage("jdk.net..")
                .because("SO_PEERCRED (jdk.net.ExtendedSocketOptions) is how culvertd identifies callers; nothing else needs it")
                .check(CLASSES);
    }

    @Test
    void engineDoesNotDependOnTheCli() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat().resideInAPackage(CLI)
                .because("the CLI is one launcher among several (app, service); the engine must not know it")
                .check(CLASSES);
    }

    @Test
    void enginePackagesAreFreeOfCycles() {
        slices().matching("io.culvert.engine.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void clientSessionIsSansIo() {
        noClasses().that().belongToAnyOf(ClientSession.class, io.culvert.engine.server.ServerSession.class)
                .or().resideInAPackage(SESSION)
                .should().dependOnClassesThat().resideInAnyPackage(TRANSPORT, "java.net..", "java.nio.channels..",
                        "java.util.concurrent..")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, TunDevice.class, NetConfig.class)
                .because("sessions only see their Io interfaces; the runners own threads, sockets and devices (ADR 0002)")
                .check(CLASSES);
    }

    // ---- I/O, time and libraries ----------------------------------------------------------------------

    @Test
    void codecPackagesDoNoIo() {
        noClasses().that().resideInAnyPackage(PROTOCOL, CRYPTO)
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..", "java.nio.file..")
                .because("codecs are tested without sockets or files (ADR 0002, ADR 0007)")
                .check(CLASSES);
    }

    @Test
    void engineReadsNoClockDirectly() {
        // SuspendClock.linux() is itself a system clock (boot less monotonic time), injected as InstantSource is
        noClasses().that().resideInAPackage(ENGINE).and().doNotBelongToAnyOf(io.culvert.engine.sys.SuspendClock.class)
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(InstantSource.class, "system")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .because("time is injected as an InstantSource so tests control it; launchers pass the system clock")
                .check(CLASSES);
    }

    @Test
    void engineUsesOnlyApprovedLibraries() {
        classes().that().resideInAPackage(ENGINE)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "jdk.net..", CULVERT,
                        "org.slf4j..", "org.bouncycastle..", "org.sqlite..", "org.postgresql..", "org.flywaydb..")
                .because("the engine's dependencies are JDK, SLF4J API, BouncyCastle (PEM/PKI) and SQLite or PostgreSQL JDBC"
                        + " with Flyway (store, ADR 0048); no Netty (ADR 0005)")
                .check(CLASSES);
    }

    @Test
    void onlyTheStoreUsesSql() {
        noClasses().that().resideOutsideOfPackage(STORE)
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..", "org.postgresql..", "org.flywaydb..")
                .because("SQL stays behind the store's repositories; everything else sees immutable records")
                .check(CLASSES);
    }

    @Test
    void onlySysMakesNativeCalls() {
        noClasses().that().resideOutsideOfPackage(SYS)
                .should().dependOnClassesThat().resideInAnyPackage("java.lang.foreign..", "com.sun.jna..")
                .because("every native call of the engine is an FFM downcall in sys (ADR 0016)")
                .check(CLASSES);
    }

    @Test
    void onlyProcessesRunsChildProcesses() {
        noClasses().that().doNotBelongToAnyOf(io.culvert.engine.common.Processes.class)
                .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .orShould().callCodeUnitWhere(new com.tngtech.archunit.base.DescribedPredicate<
                        com.tngtech.archunit.core.domain.JavaCall<?>>("call Runtime.exec") {
                    @Override
                    public boolean test(com.tngtech.archunit.core.domain.JavaCall<?> call) {
                        return call.getTargetOwner().isEquivalentTo(Runtime.class) && call.getName().equals("exec");
                    }
                })
                .because("common.Processes is the one way to run a program: argv without a shell, bounded output, a timeout"
                        + " that kills the process tree, errors that name the command")
                .check(CLASSES);
    }

    @Test
    void onlyTlsAndPkiUseBouncyCastle() {
        noClasses().that().resideOutsideOfPackages(TLS, PKI)
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .because("BouncyCastle is kept for PEM and the CA only; TLS is JSSE and data crypto is JCE (ADR 0003)")
                .check(CLASSES);
    }

    @Test
    void nothingUsesJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the engine and the CLI are headless; JavaFX belongs to the app module")
                .check(CLASSES);
    }

    @Test
    void onlyTheCliMayUseLogback() {
        noClasses().that().resideOutsideOfPackage(CLI)
                .should().dependOnClassesThat().resideInAPackage("ch.qos.logback..")
                .because("the engine logs through the SLF4J API; launchers choose the backend (ADR 0008)")
                .check(CLASSES);
    }

    @Test
    void engineLogsOnlyThroughSlf4j() {
        noClasses().that().resideInAPackage(ENGINE)
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .orShould(GeneralCodingRules.USE_JAVA_UTIL_LOGGING)
                .because("engine output goes through SLF4J and EngineListener events (ADR 0008)")
                .check(CLASSES);
    }

    @Test
    void onlyTheCliUsesJdkInternals() {
        noClasses().that().resideOutsideOfPackage(CLI)
                .should().dependOnClassesThat().resideInAnyPackage("sun..", "jdk.internal..")
                .because("sun.misc.Signal in the CLI is the one sanctioned use")
                .check(CLASSES);
    }
}
