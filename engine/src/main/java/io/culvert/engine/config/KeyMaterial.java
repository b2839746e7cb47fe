package io.culvert.engine.config;

import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads the key material a config names, inline or by file (resolved against the config's folder), and checks
 * its shape: PEM blocks, OpenVPN static keys, PKCS#12 bundles, key directions. Shared by the client and server readers.
 * Immutable.
 */
final class KeyMaterial {
    private static final String STATIC_KEY_BEGIN = "-----BEGIN OpenVPN Static key V1-----";
    private static final String STATIC_KEY_END = "-----END OpenVPN Static key V1-----";

    private final Path baseDir;

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
        return ConfigFiles.readText(ConfigFiles.resolve(baseDir, d.arg(0)), d.line(), d.name(), OvpnFileParser.MAX_INLINE_CHARS);
    }

    String pem(Directive d, String previous) throws OvpnParseException {
        String text = content(d, previous);
        if (text != null && !text.contains("-----BEGIN ")) {
            throw ArgValues.invalid(d, "no PEM block (-----BEGIN ...) found");
        }
        return text;
    }

    String staticKey(Directive d, String previous) throws OvpnParseException {
        String text = content(d, previous);
        if (text != null && !(text.contains(STATIC_KEY_BEGIN) && text.contains(STATIC_KEY_END))) {
            throw ArgValues.invalid(d, "not an OpenVPN static key (" + STATIC_KEY_BEGIN + ")");
        }
        return text;
    }

    /** A tls-crypt-v2 key of the given PEM label ("OpenVPN tls-crypt-v2 client key" or "... server key"). */
    String labelledPem(Directive d, String previous, String label) throws OvpnParseException {
        String text = content(d, previous);
        if (text != null && !text.contains("-----BEGIN " + label + "-----")) {
            throw ArgValues.invalid(d, "not an " + label + " (-----BEGIN " + label + "-----)");
        }
        return text;
    }

    /** How messages name the key material of {@code d}: the file as written, or the inline block. */
    static String sourceName(Directive d) {
        return d.isInline() || d.arg(0).equals("[inline]") ? "inline <" + d.name() + ">" : d.arg(0);
    }

    /** A PKCS#12 bundle as base64: inline blocks are base64 already (as in OpenVPN), files are binary. */
    String pkcs12(Directive d) throws OvpnParseException {
        byte[] der;
        if (d.isInline()) {
            try {
                der = Base64.getMimeDecoder().decode(d.inlineContent().strip());
            } catch (IllegalArgumentException e) {
                throw ArgValues.invalid(d, "inline <pkcs12> is not base64: " + e.getMessage());
            }
        } else {
            der = ConfigFiles.readBytes(ConfigFiles.resolve(baseDir, d.arg(0)), d.line(), d.name(),
                    OvpnFileParser.MAX_INLINE_CHARS);
        }
        // every PKCS#12 file is a DER SEQUENCE; anything else (a PEM file, say) is a mistake worth naming early
        if (der.length < 2 || der[0] != 0x30) {
            throw ArgValues.invalid(d, d.isInline() ? "inline <pkcs12> does not hold a PKCS#12 file" : "not a PKCS#12 file");
        }
        return Base64.getEncoder().encodeToString(der);
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
