package io.culvert.engine.config;

import java.nio.file.Path;

/**
 * Reads the key material a config names, inline or by file (resolved against the config's folder), and checks
 * its shape: PEM blocks, OpenVPN static keys, key directions. Shared by the client and server readers.
 * Immutable.
 */
final class KeyMaterial {
    private static final String STATIC_KEY_BEGIN = "-----BEGIN OpenVPN Static key V1-----";
    private static final String STATIC_KEY_END = "-----END OpenVPN Static key V1-----";

    private final Path baseDir;

    KeyMaterial(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Inline text, file text, or {@code previous} for the legacy {@code [inline]} placeholder. */
    String content(Directive d, String previous) throws OvpnParseException {
        if (d.isInline()) {
            return d.inlineContent();
        }
        if (d.arg(0).equals("[inline]")) {
            return previous;
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

    static Integer keyDirection(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        if (s.equals("0") || s.equals("1")) {
            return Integer.valueOf(s);
        }
        throw ArgValues.invalid(d, "key direction must be 0 or 1, got '" + s + "'");
    }
}
