package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.Directives;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.report.ImportReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzz target (ADR 0015) for .ovpn text: the lexer and parser, the preserving and the canonical writer, validation,
 * the import report for both roles, and reading the file as a client or server config. File references resolve
 * against a private folder holding copies of the test PKI files; a config naming a path with a separator is not
 * read as a config (the fuzzer must not open host files). Oracles: no exception but the documented
 * {@link OvpnParseException} (and the canonical writer's refusal of a line OpenVPN's 255-character limit cannot
 * hold); the preserving write parses back to an equal file and the canonical write to the same directives; every
 * problem of a report has a reason.
 */
public final class ConfigFuzz {
    private static final Path BASE = fixtures();

    private ConfigFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        OvpnFile file;
        try {
            file = OvpnFile.parse(text);
        } catch (OvpnParseException e) {
            check(e.reason() != null, "parse error without a reason");
            return;
        }
        String preserved = file.write();
        try {
            check(OvpnFile.parse(preserved).equals(file), "the preserving write reads back as another file");
        } catch (OvpnParseException e) {
            throw new AssertionError("the preserving write does not parse: " + e.getMessage(), e);
        }
        String canonical;
        try {
            canonical = file.writeCanonical();
        } catch (IllegalArgumentException e) {
            // Documented refusal: a directive whose shortest form still passes OpenVPN's 255-character line limit.
            check(String.valueOf(e.getMessage()).contains("255"), "the canonical writer fails: " + e.getMessage());
            return;
        }
        try {
            check(OvpnFile.parse(canonical).sameDirectives(file), "the canonical write reads back as other directives");
        } catch (OvpnParseException e) {
            throw new AssertionError("the canonical write does not parse: " + e.getMessage(), e);
        }
        for (boolean ignoreUnknown : new boolean[] {false, true}) {
            try {
                Directives.validate(file, ignoreUnknown);
            } catch (OvpnParseException e) {
                check(e.reason() != null, "validation error without a reason");
            }
            for (Role role : Role.values()) {
                report(ImportReport.of(file, role, ignoreUnknown));
            }
            if (readable(file)) {
                report(ImportReport.check(file, ImportReport.roleOf(file), BASE, ignoreUnknown));
            }
        }
    }

    private static void report(ImportReport r) {
        r.problems().forEach(p -> check(p.reason() != null, "problem without a reason"));
        r.items().forEach(i -> check(i.status() != null && i.directive() != null, "item without status or name"));
    }

    /** False when an argument could name a file outside {@link #BASE}. */
    private static boolean readable(OvpnFile file) {
        List<Directive> all = new java.util.ArrayList<>(file.directives());
        file.connections().forEach(all::addAll);
        for (Directive d : all) {
            for (String a : d.args()) {
                if (a.indexOf('/') >= 0 || a.indexOf('\\') >= 0 || a.startsWith("..") || a.startsWith("~")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Path fixtures() {
        try {
            Path dir = Files.createTempDirectory("culvert-config-fuzz");
            dir.toFile().deleteOnExit();
            for (String name : List.of("ca.crt", "client.crt", "client.key", "creds.txt")) {
                copy("/ovpn/valid/" + name, dir.resolve(name));
            }
            for (String name : List.of("server.crt", "server.key", "ta.key", "tc.key")) {
                copy("/ovpn/server/" + name, dir.resolve(name));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = ConfigFuzz.class.getResourceAsStream(resource)) {
            Files.write(to, in.readAllBytes());
            to.toFile().deleteOnExit();
        }
    }
}
