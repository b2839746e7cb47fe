package io.culvert.engine.store;

import java.util.Locale;
import java.util.Set;

/**
 * Hides secrets in profile text for display: the bodies of inline private keys, static keys, PKCS#12
 * bundles and inline passwords become one marker line; everything else is kept as written. Stateless.
 */
public final class ProfileRedaction {
    /** Inline blocks whose body is secret. */
    public static final Set<String> SECRET_BLOCKS = Set.of("key", "tls-auth", "tls-crypt", "tls-crypt-v2", "secret",
            "pkcs12", "auth-user-pass", "http-proxy-user-pass", "askpass");

    private ProfileRedaction() {}

    /** {@code text} with every secret inline block's body replaced by a marker line. */
    public static String redact(String text) {
        StringBuilder out = new StringBuilder(text.length());
        String open = null;
        int hidden = 0;
        for (String line : text.split("(?<=\n)", -1)) {
            String t = line.strip().toLowerCase(Locale.ROOT);
            if (open != null) {
                if (t.equals("</" + open + ">")) {
                    out.append("[redacted: ").append(hidden).append(" line").append(hidden == 1 ? "" : "s")
                            .append(", shown with --secrets]\n");
                    out.append(line);
                    open = null;
                } else {
                    hidden++;
                }
                continue;
            }
            out.append(line);
            if (t.startsWith("<") && t.endsWith(">") && !t.startsWith("</")) {
                String tag = t.substring(1, t.length() - 1);
                if (SECRET_BLOCKS.contains(tag)) {
                    open = tag;
                    hidden = 0;
                }
            }
        }
        if (open != null) {
            out.append("[redacted: ").append(hidden).append(" lines]\n");
        }
        return out.toString();
    }
}
