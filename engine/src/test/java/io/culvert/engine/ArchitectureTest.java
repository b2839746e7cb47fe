package io.culvert.engine;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.culvert.engine.client.ClientSession;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.TunDevice;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/architecture.md as executable rules. Each package may use only the Culvert
 * packages listed for it (plus the JDK and the libraries named in its rule). A failing rule means the code
 * drifted from the documented architecture: change the code, or change the document and the rule together.
 */
class ArchitectureTest {
    private static final String ENGINE = "io.culvert.engine..";
    private static final String CULVERT = "io.culvert..";
    private static final String COMMON = "io.culvert.engine.common..";
    private static final String NET = "io.culvert.engine.net..";
    private static final String API = "io.culvert.engine.api..";
    private static final String CONFIG = "io.culvert.engine.config..";
    private static final String CONFIG_FILE = "io.culvert.engine.config.file..";
    private static final String CONFIG_MODEL = "io.culvert.engine.config";
    private static final String CONFIG_REPORT = "io.culvert.engine.config.report..";
    private static final String CRYPTO = "io.culvert.engine.crypto..";
    private static final String PROTOCOL = "io.culvert.engine.protocol..";
    private static final String TLS = "io.culvert.engine.tls..";
    private static final String PKI = "io.culvert.engine.pki..";
    private static final String TRANSPORT = "io.culvert.engine.transport..";
    private static final String TUN = "io.culvert.engine.tun..";
    private static final String SESSION = "io.culvert.engine.session..";
    private static final String CLIENT = "io.culvert.engine.client..";
    private static final String SERVER = "io.culvert.engine.server..";
    private static final String SERVER_ROUTE = "io.culvert.engine.server.route..";
    private static final String SERVER_POOL = "io.culvert.engine.server.pool..";
    private static final String STORE = "io.culvert.engine.store..";
    private static final String DEMO = "io.culvert.engine.demo..";
    private static final String FLEET = "io.culvert.engine.fleet..";
    private static final String CLI = "io.culvert.cli..";
    private static final String SERVICE = "io.culvert.engine.service..";
    private static final String REMOTE = "io.culvert.engine.remote..";
    private static final String SYS = "io.culvert.engine.sys..";
    private static final String PACKET = "io.culvert.engine.packet..";
    private static final String WARMUP = "io.culvert.engine.warmup..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.culvert");

    /** Classes in {@code pkg} may depend on no Culvert class outside {@code allowed} (their own package included). */
    private static ArchRule usesOnlyCulvertPackages(String pkg, String because, String... allowed) {
        String[] withNet = java.util.Arrays.copyOf(allowed, allowed.length + 1);
        withNet[allowed.length] = NET; // addresses, prefixes and header fields: every package may use them
        return noClasses().that().resideInAPackage(pkg)
                .should().dependOnClassesThat(resideInAPackage(CULVERT).and(not(resideInAnyPackage(withNet))))
                .because(because);
    }

    // ---- layering inside the engine -------------------------------------------------------------------

    @Test
    void commonDependsOnNothingElseInCulvert() {
        usesOnlyCulvertPackages(COMMON, "common is the bottom layer", COMMON).check(CLASSES);
    }

    @Test
    void netDependsOnNothingElseInCulvert() {
        classes().that().resideInAPackage(NET)
                .should().onlyDependOnClassesThat().resideInAnyPackage(NET, "java..")
                .because("addresses, prefixes and header fields are pure logic on the JDK; every package may use them")
                .check(CLASSES);
    }

    @Test
    void apiDependsOnlyOnCommon() {
        usesOnlyCulvertPackages(API, "the API is what the app, the CLI and a service see; it must not drag internals along",
                API, COMMON).check(CLASSES);
    }

    @Test
    void configDependsOnlyOnCommon() {
        usesOnlyCulvertPackages(CONFIG, "config turns text into values; resolving keys and certificates happens in client",
                CONFIG, COMMON).check(CLASSES);
    }

    @Test
    void configFileKnowsNoOptionMeanings() {
        usesOnlyCulvertPackages(CONFIG_FILE, "config.file is the text layer (lexer, lines, writer, file reader); what an option"
                + " means is the model's business", CONFIG_FILE, COMMON).check(CLASSES);
    }

    @Test
    void configModelUsesOnlyTheFileLayer() {
        usesOnlyCulvertPackages(CONFIG_MODEL, "the typed model reads files through config.file; the import report sits on top"
                + " of it, never under it", CONFIG_MODEL, CONFIG_FILE, COMMON).check(CLASSES);
    }

    @Test
    void configReportSitsOnTheModel() {
        usesOnlyCulvertPackages(CONFIG_REPORT, "the import report classifies a file with the model's catalogue and readers",
                CONFIG_REPORT, CONFIG_MODEL, CONFIG_FILE, COMMON).check(CLASSES);
    }

    @Test
    void cryptoDependsOnlyOnCommonAndTheJdk() {
        classes().that().resideInAPackage(CRYPTO)
                .should().onlyDependOnClassesThat().resideInAnyPackage(CRYPTO, COMMON, "java..", "javax.crypto..")
                .because("crypto is a sans-I/O codec layer on JCE; BouncyCastle is 20x slower for the data channel (ecosystem.md §8)")
                .check(CLASSES);
    }

    @Test
    void protocolDependsOnlyOnCommonAndTheJdk() {
        classes().that().resideInAPackage(PROTOCOL)
                .should().onlyDependOnClassesThat().resideInAnyPackage(PROTOCOL, COMMON, "java..")
                .because("the wire codecs and the reliability layer are sans-I/O and know nothing of TLS, sockets or devices")
                .check(CLASSES);
    }

    @Test
    void protocolDoesNotReachUpOrSideways() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().dependOnClassesThat().resideInAnyPackage(TRANSPORT, TUN, CLIENT, TLS, CRYPTO, CLI)
                .check(CLASSES);
    }

    @Test
    void tlsDependsOnlyOnCommon() {
        usesOnlyCulvertPackages(TLS, "TlsChannel is a byte-array TLS engine; the session decides what to feed it", TLS, COMMON)
                .check(CLASSES);
    }

    @Test
    void pkiUsesOnlyKeyFormatsAndConfig() {
        usesOnlyCulvertPackages(PKI, "the CA writes what the engine reads (static keys, PEM) and exports profiles from server configs",
                PKI, COMMON, CONFIG, CRYPTO, TLS).check(CLASSES);
    }

    @Test
    void transportDependsOnlyOnCommon() {
        usesOnlyCulvertPackages(TRANSPORT, "transports move opaque packets", TRANSPORT, COMMON, SYS).check(CLASSES);
    }

    @Test
    void tunDependsOnlyOnCommon() {
        usesOnlyCulvertPackages(TUN, "devices and routes know nothing of OpenVPN", TUN, COMMON, SYS).check(CLASSES);
    }

    @Test
    void packetCodecsArePureLogicOnCommon() {
        classes().that().resideInAPackage(PACKET)
                .should().onlyDependOnClassesThat().resideInAnyPackage(PACKET, COMMON, NET, "java.lang..", "java.util..", "java.nio")
                .because("segmentation, coalescing and checksums work on byte arrays; the device and sockets call them")
                .check(CLASSES);
    }

    @Test
    void sessionSharesOnlyTheControlAndDataChannels() {
        usesOnlyCulvertPackages(SESSION, "session is what client and server sessions share: control channel, key generations, data path",
                SESSION, API, COMMON, CRYPTO, PROTOCOL, TLS).check(CLASSES);
    }

    @Test
    void clientUsesTheEngineButNotTheServerOrTheCli() {
        usesOnlyCulvertPackages(CLIENT, "client composes the layers below it (its data threads use packet and sys offloads);"
                + " launchers sit on top", CLIENT, SESSION, API, COMMON, CONFIG, CRYPTO, PACKET, PROTOCOL, SYS, TLS, TRANSPORT, TUN,
                WARMUP).check(CLASSES);
    }

    @Test
    void serverUsesTheEngineButNotTheClientOrTheCli() {
        usesOnlyCulvertPackages(SERVER, "server composes the layers below it, like client; the two are peers",
                SERVER, SESSION, API, COMMON, CONFIG, CRYPTO, PACKET, PROTOCOL, TLS, TRANSPORT, TUN, SYS, WARMUP).check(CLASSES);
    }

    @Test
    void localEngineComposesClientAndServer() {
        usesOnlyCulvertPackages("io.culvert.engine.local..", "the in-process engine wires configs to runners, and the store, PKI and demo to the API; it is a composition root",
                "io.culvert.engine.local..", CLIENT, SERVER, SESSION, API, COMMON, CONFIG, CRYPTO, PROTOCOL, TLS, TRANSPORT, TUN, STORE, PKI, DEMO, WARMUP)
                .check(CLASSES);
    }

    @Test
    void warmupUsesOnlyTlsAndCrypto() {
        usesOnlyCulvertPackages(WARMUP, "warm-up runs throwaway handshakes and packets in memory; runners start it",
                WARMUP, TLS, CRYPTO, COMMON).check(CLASSES);
    }

    @Test
    void demoOnlyDrivesDevices() {
        usesOnlyCulvertPackages(DEMO, "the demo ships configs and pushes packets into in-memory devices; local wires it to the engine",
                DEMO, TUN, COMMON).check(CLASSES);
    }

    @Test
    void serverRoutingAndPoolsArePureLogic() {
        usesOnlyCulvertPackages(SERVER_ROUTE, "forwarding decisions and flow counting know nothing of sessions or I/O",
                SERVER_ROUTE, COMMON).check(CLASSES);
        usesOnlyCulvertPackages(SERVER_POOL, "address pools know nothing of sessions or I/O", SERVER_POOL, COMMON).check(CLASSES);
    }

    @Test
    void managementDependsOnlyOnApiConfigAndCommon() {
        usesOnlyCulvertPackages("io.culvert.engine.management..",
                "the management interface speaks for whatever runs the engine; launchers adapt their runners to it",
                "io.culvert.engine.management..", API, CONFIG, COMMON).check(CLASSES);
    }

    @Test
    void storeDependsOnlyOnConfigApiAndCommon() {
        usesOnlyCulvertPackages(STORE, "the store keeps text and records; it parses profiles to validate them and nothing more",
                STORE, CONFIG, API, COMMON).check(CLASSES);
    }

    @Test
    void fleetWiresTheServerToTheStore() {
        usesOnlyCulvertPackages(FLEET, "a fleet server's agent wires the server to the fleet's database; neither knows the other (ADR 0055)",
                FLEET, SERVER, STORE, API, CONFIG, TLS, COMMON).check(CLASSES);
    }

    @Test
    void serviceServesAnyEngineThroughTheApi() {
        usesOnlyCulvertPackages(SERVICE, "culvertd serves whatever Engine its launcher hands it; it checks profiles with config",
                SERVICE, API, COMMON, CONFIG).check(CLASSES);
    }

    @Test
    void remoteSpeaksTheServiceProtocol() {
        usesOnlyCulvertPackages(REMOTE, "the remote engine is the service protocol's client; the app sees it as an Engine",
                REMOTE, SERVICE, API, COMMON, CONFIG).check(CLASSES);
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
    void sysDependsOnNothingElseInCulvert() {
        usesOnlyCulvertPackages(SYS, "sys binds libc and knows nothing of sessions, packets or configs", SYS).check(CLASSES);
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
