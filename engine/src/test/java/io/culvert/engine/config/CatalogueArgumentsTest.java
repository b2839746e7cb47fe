package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.Directives.Support;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport.Item;
import io.culvert.engine.config.report.ImportReport.Problem;
import io.culvert.engine.config.report.ImportReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every directive in the catalogue, with no, too few, enough and too many arguments of several plausible shapes,
 * through the client reader, the server reader and the import report, as `culvert client`, `profile import` and
 * culvertd run them: the only failure allowed is an {@link OvpnParseException} naming the line (a wrong argument
 * count as WRONG_ARGUMENT_COUNT), and no message or note says "null".
 */
class CatalogueArgumentsTest {
    private static final String CLIENT = "client\ndev tun\nremote vpn.example.com 1194\nca ca.crt\ncert client.crt\n"
            + "key client.key\n";
    private static final String SERVER = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\n";
    /** The line the directive under test is on, after the base profile. */
    private static final int CLIENT_LINE = 7;
    private static final int SERVER_LINE = 7;
    private static final Set<Reason> VALUE_REASONS = Set.of(Reason.INVALID_VALUE, Reason.CONFLICT,
            Reason.FILE_NOT_READABLE, Reason.LIMIT_EXCEEDED);
    private static final Pattern NULL_TEXT = Pattern.compile("\\bnull\\b");

    /** Argument shapes; a directive given more arguments than a shape has repeats its last one. */
    private static final List<List<String>> SHAPES = List.of(
            List.of("1", "2", "3", "4"),
            List.of("30", "120"), List.of("1500", "1500"),
            List.of("10.8.0.0", "255.255.255.0", "10.8.0.1", "5"),
            List.of("fd00::/64", "fd00::1", "5"),
            List.of("vpn.example.com", "1194", "udp"),
            List.of("udp"), List.of("tcp-client"), List.of("tun"), List.of("yes"), List.of("no"), List.of("lz4-v2"),
            List.of("server", "subject"), List.of("CN=server", "name"), List.of("def1", "bypass-dhcp"),
            List.of("DNS", "10.0.0.1"), List.of("DOMAIN", "example.com"), List.of("accept", "route"),
            List.of("server", "1", "address", "10.0.0.1"), List.of("search-domains", "example.com"),
            List.of("1.2", "or-highest"), List.of("AES-256-GCM:AES-128-GCM"), List.of("SHA256"),
            List.of("ca.crt"), List.of("ta.key", "1"), List.of("tc.key"), List.of("creds.txt"), List.of("status.log", "10"),
            List.of("127.0.0.1", "7505"), List.of("/run/x.sock", "unix"), List.of("proxy.example", "3128", "auto"),
            List.of("Enter PIN", "1"), List.of("opt", "block-outside-dns"), List.of("x"), List.of("-1"),
            List.of("99999999999999999999"), List.of(""));

    @TempDir
    static Path dir;

    @Test
    void everyCatalogueDirectiveWithAnyArgumentCountFailsOnlyWithALocatedErrorNeverACrash() throws IOException {
        copyFixtures();
        List<String> failures = new ArrayList<>();
        Set<String> clientAccepted = new LinkedHashSet<>();
        Set<String> serverAccepted = new LinkedHashSet<>();
        int runs = 0;
        for (String name : Directives.names()) {
            Spec spec = Directives.lookup(name).orElseThrow();
            for (int n : counts(spec)) {
                for (List<String> shape : SHAPES) {
                    List<String> args = args(shape, n);
                    String line = name + args.stream().map(CatalogueArgumentsTest::quote).reduce("", (a, b) -> a + " " + b);
                    runs++;
                    if (client(CLIENT + line + "\n", spec, n, failures)) {
                        clientAccepted.add(name);
                    }
                    if (server(SERVER + line + "\n", spec, n, failures)) {
                        serverAccepted.add(name);
                    }
                }
            }
            if (spec.inlineAllowed()) {
                for (String body : List.of("x", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                        "user\npass")) {
                    String block = "<" + name + ">\n" + body + "\n</" + name + ">\n";
                    client(CLIENT + block, spec, 1, failures);
                    server(SERVER + block, spec, 1, failures);
                }
            }
        }
        for (String name : Directives.names()) {
            Spec spec = Directives.lookup(name).orElseThrow();
            if (spec.support() == Support.SUPPORTED && spec.role() == Role.CLIENT && !spec.inlineAllowed()
                    && !clientAccepted.contains(name) && !name.equals("connection")) {
                failures.add(name + ": no argument shape reached the client reader's value checks");
            }
        }
        System.out.println("catalogue sweep: " + Directives.names().size() + " directives, " + runs
                + " argument lists; accepted by the client reader: " + clientAccepted.size() + ", by the server reader: "
                + serverAccepted.size());
        assertEquals(List.of(), firstOfEachKind(failures), failures.size() + " failures");
    }

    /** One example per role, directive and kind of failure. */
    private static List<String> firstOfEachKind(List<String> failures) {
        java.util.Map<String, String> first = new java.util.LinkedHashMap<>();
        for (String f : failures) {
            String[] words = f.split("[ ':]+");
            int colon = f.indexOf(": ");
            String kind = colon < 0 ? f : f.substring(colon + 2, Math.min(f.length(), colon + 22));
            first.putIfAbsent(words[0] + " " + (words.length > 1 ? words[1] : "") + " " + kind, f);
        }
        return List.copyOf(first.values());
    }

    /** Counts 0 .. max (at most 5), and max + 1 when that is a wrong count a file can hold. */
    private static List<Integer> counts(Spec spec) {
        List<Integer> counts = new ArrayList<>();
        for (int n = 0; n <= Math.min(spec.maxArgs(), 5); n++) {
            counts.add(n);
        }
        if (spec.maxArgs() < Directives.MANY) {
            counts.add(spec.maxArgs() + 1);
        }
        return counts;
    }

    private static List<String> args(List<String> shape, int n) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a.add(shape.get(Math.min(i, shape.size() - 1)));
        }
        return a;
    }

    private static String quote(String arg) {
        return arg.isEmpty() || arg.contains(" ") ? "\"" + arg + "\"" : arg;
    }

    /** Runs the client reader and the client import report; true when the reader accepted or judged the value. */
    private static boolean client(String text, Spec spec, int n, List<String> failures) {
        return run(text, spec, n, Role.CLIENT, CLIENT_LINE, failures);
    }

    private static boolean server(String text, Spec spec, int n, List<String> failures) {
        return run(text, spec, n, Role.SERVER, SERVER_LINE, failures);
    }

    private static boolean run(String text, Spec spec, int n, Role role, int line, List<String> failures) {
        String what = role + " '" + text.substring(text.lastIndexOf('\n', text.length() - 2) + 1).strip() + "'";
        if (spec.inlineAllowed() && text.endsWith(">\n")) {
            what = role + " <" + spec.name() + "> block";
        }
        boolean wrongCount = (n < spec.minArgs() || n > spec.maxArgs()) && !spec.name().equals("connection");
        boolean accepted = false;
        boolean reached = false;
        try {
            OvpnFile file = OvpnFile.parse(text);
            try {
                if (role == Role.CLIENT) {
                    ClientConfig.from(file, dir, false);
                } else {
                    ServerConfig.from(file, dir, false);
                }
                accepted = true;
                reached = true;
                if (wrongCount) {
                    failures.add(what + ": accepted with a wrong argument count");
                }
            } catch (OvpnParseException e) {
                if (NULL_TEXT.matcher(e.getMessage()).find()) {
                    failures.add(what + ": message says null: " + e.getMessage());
                }
                // The value was read and judged: the directive's reader ran.
                reached = !wrongCount && e.line() == line && VALUE_REASONS.contains(e.reason());
                if (wrongCount && (e.reason() != Reason.WRONG_ARGUMENT_COUNT || e.line() != line)) {
                    failures.add(what + ": wrong count reported as " + e.getMessage());
                }
            }
            ImportReport report = ImportReport.check(file, role, dir, false);
            for (Item i : report.items()) {
                if (i.note() != null && NULL_TEXT.matcher(i.note()).find()) {
                    failures.add(what + ": import note says null: " + i.note());
                }
            }
            for (Problem p : report.problems()) {
                if (p.detail() != null && NULL_TEXT.matcher(p.detail()).find()) {
                    failures.add(what + ": import problem says null: " + p.detail());
                }
            }
            if (wrongCount && report.problems().stream().noneMatch(p -> p.reason() == Reason.WRONG_ARGUMENT_COUNT
                    && p.line() == line)) {
                failures.add(what + ": import report misses the wrong count: " + report.problems());
            }
            if (accepted != report.usable() && !wrongCount) {
                failures.add(what + ": reader " + (accepted ? "accepted" : "refused") + " but import report says usable="
                        + report.usable());
            }
        } catch (OvpnParseException e) {
            if (NULL_TEXT.matcher(e.getMessage()).find()) {
                failures.add(what + ": lexer message says null: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            failures.add(what + ": " + e);
        }
        return reached;
    }

    private static void copyFixtures() throws IOException {
        for (String folder : List.of("/ovpn/valid", "/ovpn/server")) {
            Path from;
            try {
                from = Path.of(CatalogueArgumentsTest.class.getResource(folder + "/ca.crt").toURI()).getParent();
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> s = Files.list(from)) {
                for (Path p : s.toList()) {
                    Path to = dir.resolve(p.getFileName());
                    if (!Files.exists(to)) {
                        Files.copy(p, to);
                    }
                }
            }
        }
    }
}
