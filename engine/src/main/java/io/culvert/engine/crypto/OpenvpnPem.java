package io.culvert.engine.crypto;

import java.util.Base64;
import java.util.Objects;

/**
 * The PEM envelope OpenVPN writes around tls-crypt-v2 keys: {@code -----BEGIN <label>-----}, base64, {@code -----END
 * <label>-----}. Text outside the block is ignored, as OpenSSL's reader does. Stateless.
 */
final class OpenvpnPem {
    private static final int LINE = 64;

    private OpenvpnPem() {}

    /** The bytes inside the block labelled {@code label}; throws IllegalArgumentException naming what is wrong. */
    static byte[] decode(String text, String label) {
        Objects.requireNonNull(text, "text");
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = text.indexOf(begin);
        if (b < 0) {
            throw new IllegalArgumentException("no '" + begin + "' line");
        }
        int e = text.indexOf(end, b + begin.length());
        if (e < 0) {
            throw new IllegalArgumentException("no '" + end + "' line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e).strip());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(label + ": invalid base64: " + ex.getMessage(), ex);
        }
    }

    /** The block for {@code bytes}, 64 base64 characters a line, ending in a newline. */
    static String encode(byte[] bytes, String label) {
        String b64 = Base64.getEncoder().encodeToString(bytes);
        StringBuilder sb = new StringBuilder(b64.length() + 100).append("-----BEGIN ").append(label).append("-----\n");
        for (int i = 0; i < b64.length(); i += LINE) {
            sb.append(b64, i, Math.min(b64.length(), i + LINE)).append('\n');
        }
        return sb.append("-----END ").append(label).append("-----\n").toString();
    }
}
