package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.Directives.Support;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.report.ImportReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/openvpn-options.md is the catalogue written out, and it covers every option OpenVPN knows: what the stock
 * binaries list in {@code --help} (Debian's 2.6 at /usr/sbin/openvpn, required with CI=true; 2.7 when
 * {@code CULVERT_OPENVPN_27} names it) and what OpenVPN 2.7.6's {@code options.c} matches (from the source snapshot
 * beside the repository, required with CI=true).
 */
class OptionTableTest {
    private static final Path STOCK_26 = Path.of("/usr/sbin/openvpn");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\| (\\w+) \\| (\\w+) \\| ([^|]*) \\| (.*) \\|$");
    private static final Pattern HELP_OPTION = Pattern.compile("^--([a-z0-9-]+)");
    private static final Pattern SOURCE_OPTION = Pattern.compile("streq\\(p\\[0\\], \"([a-z0-9-]+)\"\\)");

    record Row(String option, String decision, String role, String checkedAgainst, String reason) {}

    @Test
    void everyCatalogueEntryHasARowWithItsDecisionRoleAndReason() throws IOException {
        Map<String, Row> rows = rows();
        for (String name : Directives.names()) {
            Spec spec = Directives.lookup(name).orElseThrow();
            Row row = rows.get(name);
            assertTrue(row != null, "docs/openvpn-options.md has no row for " + name);
            assertEquals(decision(spec.support()), row.decision(), name);
            assertEquals(spec.role().name().toLowerCase(), row.role(), name);
            assertEquals(spec.note() == null ? "" : spec.note().replace("|", "\\|"), row.reason(), name);
        }
        for (Row row : rows.values()) {
            assertTrue(Directives.lookup(row.option()).isPresent(), "row without a catalogue entry: " + row.option());
            if (!row.decision().equals("supported")) {
                assertFalse(row.reason().isBlank(), row.option() + " is " + row.decision() + " without a reason");
            }
        }
    }

    @Test
    void everyOptionOfTheStock26BinaryIsClassifiedAndMarkedAsChecked() throws Exception {
        assumeTrue(Files.isExecutable(STOCK_26) || ci(), STOCK_26 + " is not installed");
        assertCovers(helpOptions(STOCK_26), "2.6");
    }

    @Test
    void everyOptionOfTheStock27BinaryIsClassifiedAndMarkedAsChecked() throws Exception {
        String bin = System.getenv("CULVERT_OPENVPN_27");
        boolean named = bin != null && !bin.isBlank();
        assumeTrue(named || ci(), "CULVERT_OPENVPN_27 does not name a stock OpenVPN 2.7 binary (build one with"
                + " ../shared/openvpn/build.sh)");
        assertTrue(named, "CI=true but CULVERT_OPENVPN_27 does not name the stock OpenVPN 2.7 binary");
        assertCovers(helpOptions(Path.of(bin)), "2.7");
    }

    @Test
    void everyOptionOpenvpn276ParsesIsClassified() throws Exception {
        Path tarball = findUp(Path.of("shared", "openvpn", "openvpn-2.7.6.tar.gz"));
        if (tarball == null && Files.exists(Path.of("/work/shared/openvpn/openvpn-2.7.6.tar.gz"))) {
            tarball = Path.of("/work/shared/openvpn/openvpn-2.7.6.tar.gz");
        }
        assumeTrue(tarball != null || ci(), "the OpenVPN 2.7.6 source snapshot (../shared/openvpn) is not here");
        assertTrue(tarball != null, "CI=true but the OpenVPN 2.7.6 source snapshot (../shared/openvpn) is missing");
        Process tar = new ProcessBuilder("tar", "-xzOf", tarball.toString(), "openvpn-2.7.6/src/openvpn/options.c")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String source;
        try (InputStream in = tar.getInputStream()) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, tar.waitFor(), "tar could not read options.c");
        Set<String> options = new TreeSet<>();
        Matcher m = SOURCE_OPTION.matcher(source);
        while (m.find()) {
            options.add(m.group(1));
        }
        assertTrue(options.size() > 250, "only " + options.size() + " options found in options.c");
        assertTrue(options.contains("data-ciphers") && options.contains("tls-crypt-v2"), options::toString);
        assertCovers(options, "2.7");
    }

    /**
     * The options issue 11 found refused or unknown although stock 2.6 runs them: a profile with all of them imports
     * without a problem and loads, and each is listed with what Culvert does with it (a warning where the user may
     * rely on it).
     */
    @Test
    void optionsStockOpenvpnAcceptsImportAndLoad() throws Exception {
        String profile = "client\ndev tun\nremote vpn.example 1194\n<ca>\n-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n</ca>\nauth-user-pass\n"
                + "http-proxy-retry\nsocks-proxy-retry\nhttp-proxy-timeout 5\nshaper 100000\npasstos\nsingle-session\n"
                + "auth-token-user dXNlcg==\nsession-timeout 3600\nbind-dev vrf-blue\nx509-track SHA1\n"
                + "allow-recursive-routing\nmax-routes 200\nprng SHA1 16\npreresolve\n";
        ImportReport r = ImportReport.of(OvpnFile.parse(profile), Directives.Role.CLIENT);
        assertEquals(List.of(), r.problems());
        Map<String, ImportReport.Item> items = new LinkedHashMap<>();
        r.items().forEach(i -> items.put(i.directive(), i));
        for (String warned : List.of("http-proxy-retry", "socks-proxy-retry", "http-proxy-timeout", "passtos",
                "x509-track", "max-routes", "prng")) {
            assertTrue(items.get(warned).warning(), warned + " must warn: " + items.get(warned));
            assertFalse(items.get(warned).note().isBlank(), warned);
        }
        for (String quiet : List.of("single-session", "auth-token-user", "preresolve")) {
            assertEquals(ImportReport.Status.IGNORED, items.get(quiet).status(), quiet);
        }
        for (String applied : List.of("shaper", "session-timeout", "bind-dev", "allow-recursive-routing")) { // issue 11, second round
            assertEquals(ImportReport.Status.SUPPORTED, items.get(applied).status(), applied);
            assertFalse(items.get(applied).note().isBlank(), applied);
        }
        assertTrue(items.get("http-proxy-retry").note().contains("deprecated"), items.get("http-proxy-retry")::toString);
        ClientConfig c = ClientConfig.from(OvpnFile.parse(profile), Path.of("."), false);
        assertEquals("vpn.example", c.transport().remotes().getFirst().host());
        assertEquals(100000, c.transport().shaper());
        assertEquals("vrf-blue", c.transport().bindDev());
        assertEquals(3600, c.keepalive().sessionTimeout());
        assertTrue(c.routing().allowRecursiveRouting());
    }

    private static void assertCovers(Set<String> options, String version) throws IOException {
        Map<String, Row> rows = rows();
        List<String> missing = new ArrayList<>();
        List<String> unmarked = new ArrayList<>();
        for (String option : options) {
            Row row = rows.get(option);
            if (row == null) {
                missing.add(option);
            } else if (!row.checkedAgainst().contains(version + ".")) {
                unmarked.add(option);
            }
        }
        assertEquals(List.of(), missing, "OpenVPN " + version + " options with no row in docs/openvpn-options.md");
        assertEquals(List.of(), unmarked, "rows not marked as checked against OpenVPN " + version);
    }

    private static Set<String> helpOptions(Path binary) throws Exception {
        assertTrue(Files.isExecutable(binary), binary + " is not an executable");
        Process p = new ProcessBuilder(binary.toString(), "--help").redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "openvpn --help did not finish");
        Set<String> options = new TreeSet<>();
        for (String line : out.split("\n")) {
            Matcher m = HELP_OPTION.matcher(line);
            if (m.find()) {
                options.add(m.group(1));
            }
        }
        assertTrue(options.size() > 150, "only " + options.size() + " options in " + binary + " --help");
        return options;
    }

    static Map<String, Row> rows() throws IOException {
        Path doc = findUp(Path.of("docs", "openvpn-options.md"));
        assertTrue(doc != null, "docs/openvpn-options.md not found above " + Path.of("").toAbsolutePath());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                Row row = new Row(m.group(1), m.group(2), m.group(3), m.group(4).trim(), m.group(5).trim());
                assertTrue(rows.put(row.option(), row) == null, "two rows for " + row.option());
            } else {
                assertFalse(line.startsWith("| `"), "a malformed row: " + line);
            }
        }
        return rows;
    }

    private static String decision(Support s) {
        return switch (s) {
            case SUPPORTED -> "supported";
            case IGNORED -> "ignored";
            case WARN -> "warning";
            case UNSUPPORTED -> "refused";
        };
    }

    private static Path findUp(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return null;
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
