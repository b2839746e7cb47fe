package io.culvert.engine.protocol;

import java.util.Locale;

/** The {@code allow-compression} setting, as in OpenVPN 2.6 (default {@link #NO}). */
public enum AllowCompression {
    /** Only stub framings; real compression pushed or configured is refused. */
    NO,
    /** Decompress what the peer sends, never compress (2.6 {@code asym}). */
    ASYM,
    /** 2.6 would compress too; Culvert still never compresses, which every 2.6 peer accepts. */
    YES;

    /** The setting for a config word ({@code no}, {@code asym}, {@code yes}); null means {@link #NO}. */
    public static AllowCompression parse(String word) {
        return word == null ? NO : valueOf(word.toUpperCase(Locale.ROOT));
    }

    /** The warning 2.6 logs once when compression is enabled. */
    public static final String WARNING = "WARNING: Compression is enabled (allow-compression asym/yes). Compression"
            + " has been used in the past to break encryption (VORACLE); Culvert only decompresses what the peer"
            + " sends and never compresses itself.";
}
