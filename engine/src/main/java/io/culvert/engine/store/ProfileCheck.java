package io.culvert.engine.store;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a profile's text is validated before it is saved: it must parse into a {@link ClientConfig}
 * (file references resolved against {@code baseDir}), and every PEM block in it must be complete and
 * decodable. Immutable.
 */
public record ProfileCheck(Path baseDir, boolean ignoreUnknown) {
    /** Inline-only profiles, unknown directives are errors. */
    public static final ProfileCheck STRICT = new ProfileCheck(null, false);

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)(?:-----END ([A-Z0-9 ]+)-----|\\z)", Pattern.DOTALL);

    /** Parses and checks {@code text}; errors carry the line and directive. */
    public ClientConfig validate(String text) throws OvpnParseException {
        OvpnFile file = OvpnFile.parse(text);
        ClientConfig config = ClientConfig.from(file, baseDir, ignoreUnknown);
        checkPemBlocks(file);
        return config;
    }

    private static void checkPemBlocks(OvpnFile file) throws OvpnParseException {
        for (var d : file.directives()) {
            if (d.isInline() && d.inlineContent().contains("-----BEGIN ")) {
                checkPem(d.inlineContent(), d.line(), d.name());
            }
        }
    }

    static void checkPem(String text, int line, String directive) throws OvpnParseException {
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (m.group(3) == null || !m.group(3).equals(type)) {
                throw new OvpnParseException(line, directive, Reason.INVALID_VALUE,
                        "PEM block '" + type + "' is truncated: no matching -----END " + type + "----- line");
            }
            boolean hasHeaders = m.group(2).contains(":");
            String body = m.group(2).replaceAll("(?m)^[A-Za-z-]+:.*$", "").replaceAll("\\s", "");
            byte[] der;
            try {
                der = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                der = new byte[0];
            }
            if (der.length == 0 || (!hasHeaders && !isOneDerSequence(der))) {
                throw new OvpnParseException(line, directive, Reason.INVALID_VALUE,
                        "PEM block '" + type + "' is truncated or corrupted (its content does not decode)");
            }
        }
    }

    /** True when {@code der} is exactly one DER SEQUENCE whose length field matches the data. */
    private static boolean isOneDerSequence(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            return false;
        }
        int first = der[1] & 0xff;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4 || der.length < 2 + n) {
                return false;
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            header = 2 + n;
        }
        return header + length == der.length;
    }
}
