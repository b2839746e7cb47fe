package io.culvert.engine.local;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.Line;
import io.culvert.engine.config.file.OvpnFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Copies the PEM files a profile names (ca, cert, key, tls-auth ...) and its PKCS#12 bundle (as base64) into it
 * as inline blocks, so a stored profile
 * no longer depends on the folder it was imported from. A reference that cannot be read as PEM text stays as it is.
 * Stateless.
 */
final class ProfileInliner {
    private static final Set<String> PEM_FILES = Set.of("ca", "cert", "key", "extra-certs", "tls-auth", "tls-crypt",
            "tls-crypt-v2", "crl-verify");
    private static final long MAX_BYTES = 1 << 20;

    private ProfileInliner() {}

    static OvpnFile inline(OvpnFile file, Path baseDir) {
        boolean hasKeyDirection = file.directives().stream().anyMatch(d -> d.name().equals("key-direction"));
        List<Line> out = new ArrayList<>();
        for (Line l : file.body()) {
            if (l instanceof Line.Entry p12 && p12.directive().name().equals("pkcs12") && p12.directive().args().size() == 1
                    && !p12.directive().arg(0).equals("[inline]")) {
                String b64 = base64(baseDir, p12.directive().arg(0));
                if (b64 != null) {
                    out.add(Line.Block.of(new Directive("pkcs12", List.of(), p12.line(), b64)));
                    continue;
                }
            }
            if (l instanceof Line.Entry a && a.directive().name().equals("auth-user-pass") && a.directive().args().size() == 1
                    && !a.directive().arg(0).equals("stdin") && !a.directive().arg(0).equals("[inline]")
                    && !Files.isReadable(baseDir == null ? Path.of(a.directive().arg(0)) : baseDir.resolve(a.directive().arg(0)))) {
                // A file from another machine (auth-user-pass "C:\\...\\pass.txt"): the stored profile asks for the login.
                out.add(Line.Entry.of(new Directive("auth-user-pass", List.of(), a.line(), null)));
                continue;
            }
            if (l instanceof Line.Entry k && k.directive().name().equals("askpass") && k.directive().args().size() == 1
                    && !k.directive().arg(0).equals("stdin")
                    && !Files.isReadable(baseDir == null ? Path.of(k.directive().arg(0)) : baseDir.resolve(k.directive().arg(0)))) {
                // Likewise the key's passphrase file: the stored profile asks for the passphrase.
                out.add(Line.Entry.of(new Directive("askpass", List.of(), k.line(), null)));
                continue;
            }
            if (l instanceof Line.Entry e && inlinable(e.directive())) {
                String pem = read(baseDir, e.directive().arg(0));
                if (pem != null) {
                    if (e.directive().name().equals("tls-auth") && e.directive().arg(1) != null && !hasKeyDirection) {
                        out.add(Line.Entry.of(new Directive("key-direction", List.of(e.directive().arg(1)), 0, null)));
                    }
                    out.add(Line.Block.of(new Directive(e.directive().name(), List.of(), e.line(), pem)));
                    continue;
                }
            }
            out.add(l);
        }
        return new OvpnFile(out);
    }

    private static boolean inlinable(Directive d) {
        if (!PEM_FILES.contains(d.name()) || d.arg(0) == null || d.arg(0).equals("[inline]")) {
            return false;
        }
        return d.name().equals("tls-auth") ? d.args().size() <= 2 : d.args().size() == 1;
    }

    /** A PKCS#12 file as the base64 text of an inline {@code <pkcs12>} block, or null when it cannot be read. */
    private static String base64(Path baseDir, String name) {
        Path p = baseDir == null ? Path.of(name) : baseDir.resolve(name);
        try {
            if (!Files.isRegularFile(p) || Files.size(p) > MAX_BYTES) {
                return null;
            }
            return java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(Files.readAllBytes(p)) + "\n";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String read(Path baseDir, String name) {
        Path p = baseDir == null ? Path.of(name) : baseDir.resolve(name);
        try {
            if (!Files.isRegularFile(p) || Files.size(p) > MAX_BYTES) {
                return null;
            }
            String text = Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n");
            if (!text.contains("-----BEGIN ") || text.lines().anyMatch(s -> s.strip().startsWith("<"))) {
                return null;
            }
            return text.endsWith("\n") ? text : text + "\n";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
