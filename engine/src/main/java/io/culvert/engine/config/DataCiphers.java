package io.culvert.engine.config;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parses a {@code data-ciphers} list; names are canonicalised to upper case. Stateless and thread-safe. */
final class DataCiphers {
    /** OpenVPN refuses longer lists (MAX_NCP_CIPHERS_LENGTH). */
    static final int MAX_LENGTH = 127;
    private static final Set<String> KNOWN = Set.of("AES-128-GCM", "AES-192-GCM", "AES-256-GCM",
            "CHACHA20-POLY1305", "AES-128-CBC", "AES-192-CBC", "AES-256-CBC");

    private DataCiphers() {}

    /** The known ciphers in order; unknown optional ({@code ?name}) entries are dropped. */
    static List<String> parse(Directive d) throws OvpnParseException {
        String list = d.arg(0);
        if (list.length() > MAX_LENGTH) {
            throw ArgValues.invalid(d, "cipher list is longer than " + MAX_LENGTH + " characters");
        }
        List<String> result = new ArrayList<>();
        for (String entry : list.split(":")) {
            if (entry.equalsIgnoreCase("DEFAULT")) {
                // OpenVPN 2.7: DEFAULT stands for the default list, in place
                DataOptions.DEFAULT_DATA_CIPHERS.stream().filter(c -> !result.contains(c)).forEach(result::add);
                continue;
            }
            boolean optional = entry.startsWith("?");
            String name = (optional ? entry.substring(1) : entry).toUpperCase(Locale.ROOT);
            if (KNOWN.contains(name)) {
                if (!result.contains(name)) {
                    result.add(name);
                }
            } else if (!optional) {
                throw ArgValues.invalid(d, "unsupported data cipher '" + entry + "' (prefix with ? to make it optional)");
            }
        }
        if (result.isEmpty()) {
            throw ArgValues.invalid(d, "no usable data cipher in '" + list + "'");
        }
        return List.copyOf(result);
    }
}
