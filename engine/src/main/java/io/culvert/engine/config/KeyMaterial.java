package io.culvert.engine.config;

import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFileParser;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the key material a config names, inline or by file (resolved against the config's folder), and checks
 * its shape: PEM blocks, OpenVPN static keys, PKCS#12 bundles, key directions. Shared by the client and server readers.
 * Each file is read once per config however often the config names it, and each text is checked once per shape,
 * so a config repeating {@code ca ca.crt} 400,000 times costs one read. Not thread-safe: one instance per read.
 */
final class KeyMaterial {
    private static final String STATIC_KEY_BEGIN = "-----BEGIN OpenVPN Static key V1-----";
    private static final String STATIC_KEY_END = "-----END OpenVPN Static key V1-----";

    private final Path baseDir;
    /** File text by resolved path. */
    private final Map<Path, String> texts = new HashMap<>();
    /** PKCS#12 files as base64, by resolved path. */
    private final Map<Path, String> bundles = new HashMap<>();
    /** For each text (by identity), the shapes it has already passed. */
    private final Map<String, Set<String>> passed = new IdentityHashMap<>();

    KeyMaterial(Path baseDir) {
        this.baseDir = baseDir;
    }

    /**
     * Inline text, file text, {@code previous} for the legacy {@code [inline]} placeholder, or null for a keyword the
     * catalogue says is no file there ({@code stdin}: ask the user, as OpenVPN does).
     */
    String content(Directive d, String previous) throws OvpnParseException {
        if (d.isInline()) {
            return d.inlineContent();
        }
        if (d.arg(0).equals(Directives.INLINE_PLACEHOLDER)) {
            return previous;
        }
        if (isKeyword(d)) {
            return null;
        }
        Path file = ConfigFiles.resolve(baseDir, d.arg(0));
        String text = texts.get(file);
        if (text == null) {
            text = ConfigFiles.readText(file, d.line(), d.name(), OvpnFileParser.MAX_INLINE_CHARS);
            texts.put(file, text);
        }
        return text;
    }

    String pem(Directive d, String previous) throws OvpnParseException {
        String text = content(d, previous);
        if (text != null && !passes(text, "pem", t -> t.contains("-----BEGIN "))) {
            throw ArgValues.invalid(d, "no PEM block (-----BEGIN ...) found");
        }
        return text;
    }

    /**
     * Why the inline block {@code d} is a truncated PEM block (a -----BEGIN X----- line that no -----END X----- line
     * closes, as a copy and paste cut short leaves it), naming the BEGIN line's number in the config; null when it is
     * not one.
     */
    static String truncatedPem(Directive d) {
        int at = unclosedPem(d.inlineContent());
        if (at < 0) {
            return null;
        }
        String label = d.inlineContent().lines().skip(at).findFirst().orElse("").strip();
        return "truncated PEM block: " + label + " on line " + (d.line() + 1 + at) + " has no matching "
                + label.replace("-----BEGIN ", "-----END ") + " line";
    }

    /** The index of the first line of {@code text} that opens a PEM block (-----BEGIN X-----) no END closes; -1 if none. */
    static int unclosedPem(String text) {
        java.util.List<String> lines = text.lines().map(String::strip).toList();
        int open = -1;
        String end = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (open < 0 && l.startsWith("-----BEGIN ") && l.endsWith("-----")) {
                open = i;
                end = "-----END " + l.substring("-----BEGIN ".length());
            } else if (open >= 0 && l.equals(end)) {
                open = -1;
            } else if (open >= 0 && l.startsWith("-----BEGIN ")) {
                return open; // a new block starts before this one ended
            }
        }
        return open;
    }

    String staticKey(Directive d, String previous) throws OvpnParseException {
        String text = content(d, previous);
        if (text != null && !passes(text, "static", t -> t.contains(STATIC_KEY_BEGIN) && t.contains(STATIC_KEY_END))) {
            throw ArgValues.invalid(d, "not an OpenVPN static key (" + STATIC_KEY_BEGIN + ")");
        }
        return text;
    }

    /** A tls-crypt-v2 key of the given PEM label ("OpenVPN tls-crypt-v2 client key" or "... server key"). */
    String labelledPem(Directive d, String previous, String label) throws OvpnParseException {
        String text = content(d, previous);
        if (text != null && !passes(text, label, t -> t.contains("-----BEGIN " + label + "-----"))) {
            throw ArgValues.invalid(d, "not an " + label + " (-----BEGIN " + label + "-----)");
        }
        return text;
    }

    /** True when {@code text} has the shape {@code check} tests (remembered per text and shape). */
    private boolean passes(String text, String shape, Predicate<String> check) {
        Set<String> shapes = passed.computeIfAbsent(text, t -> new HashSet<>());
        if (shapes.contains(shape)) {
            return true;
        }
        if (!check.test(text)) {
            return false;
        }
        shapes.add(shape);
        return true;
    }

    /** How messages name the key material of {@code d}: the file as written, or the inline block. */
    static String sourceName(Directive d) {
        return d.isInline() || d.arg(0).equals("[inline]") ? "inline <" + d.name() + ">" : d.arg(0);
    }

    /** A PKCS#12 bundle as base64: inline blocks are base64 already (as in OpenVPN), files are binary. */
    String pkcs12(Directive d) throws OvpnParseException {
        Path file = d.isInline() ? null : ConfigFiles.resolve(baseDir, d.arg(0));
        String known = file == null ? null : bundles.get(file);
        if (known != null) {
            return known;
        }
        byte[] der;
        if (d.isInline()) {
            try {
                der = Base64.getMimeDecoder().decode(d.inlineContent().strip());
            } catch (IllegalArgumentException e) {
                throw ArgValues.invalid(d, "inline <pkcs12> is not base64: " + e.getMessage());
            }
        } else {
            der = ConfigFiles.readBytes(file, d.line(), d.name(), OvpnFileParser.MAX_INLINE_CHARS);
        }
        // every PKCS#12 file is a DER SEQUENCE; anything else (a PEM file, say) is a mistake worth naming early
        if (der.length < 2 || der[0] != 0x30) {
            throw ArgValues.invalid(d, d.isInline() ? "inline <pkcs12> does not hold a PKCS#12 file" : "not a PKCS#12 file");
        }
        String base64 = Base64.getEncoder().encodeToString(der);
        if (file != null) {
            bundles.put(file, base64);
        }
        return base64;
    }

    /** OpenVPN refuses {@code cert} or {@code key} next to {@code pkcs12}, which holds both. */
    static void pkcs12Conflicts(boolean cert, boolean key) throws OvpnParseException {
        if (cert || key) {
            String name = cert ? "cert" : "key";
            throw new OvpnParseException(0, name, Reason.CONFLICT, name + " cannot be used together with pkcs12");
        }
    }

    /** The resolved {@code askpass} file, or null for the console prompt (no argument, or {@code stdin}). */
    String askpass(Directive d) {
        return d.args().isEmpty() || isKeyword(d) ? null : ConfigFiles.resolve(baseDir, d.arg(0)).toString();
    }

    /** True when the first argument of {@code d} is a word the catalogue says names no file there ({@code stdin}, {@code none}). */
    private static boolean isKeyword(Directive d) {
        String first = d.arg(0);
        return Directives.lookup(d.name()).map(s -> s.paths().stream().anyMatch(p -> p.covers(0) && p.keywords().contains(first)))
                .orElse(false);
    }

    static Integer keyDirection(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        if (s.equals("0") || s.equals("1")) {
            return Integer.valueOf(s);
        }
        throw ArgValues.invalid(d, "key direction must be 0 or 1, got '" + s + "'");
    }
}
