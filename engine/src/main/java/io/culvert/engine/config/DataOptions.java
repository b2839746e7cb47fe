package io.culvert.engine.config;

import java.util.List;

/**
 * The data channel: HMAC and cipher negotiation, compression framing and the replay window.
 * Instances are immutable.
 *
 * @param auth {@code auth}, the HMAC digest of CBC ciphers and tls-auth
 * @param cipher {@code cipher}, or null
 * @param dataCiphers {@code data-ciphers} (or {@code ncp-ciphers}) in preference order
 * @param dataCiphersFallback {@code data-ciphers-fallback}, or null
 * @param compLzo {@code comp-lzo} ({@code yes}, {@code no} or {@code adaptive}), or null
 * @param compress {@code compress} ({@code stub} for a bare one), or null
 * @param allowCompression {@code allow-compression} as resolved: {@code asym} when compression is configured
 *     without it (as 2.6 does), else {@code no}
 * @param replayWindow {@code replay-window} size in packets
 * @param replayWindowSeconds {@code replay-window}'s time limit in seconds
 */
public record DataOptions(String auth, String cipher, List<String> dataCiphers, String dataCiphersFallback,
                          String compLzo, String compress, String allowCompression,
                          int replayWindow, int replayWindowSeconds) {
    /** OpenVPN 2.6's default {@code data-ciphers}. */
    public static final List<String> DEFAULT_DATA_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305");
    /** OpenVPN 2.6's defaults: SHA1, the default cipher list, no compression, a 64-packet 15 s window. */
    public static final DataOptions DEFAULTS =
            new DataOptions("SHA1", null, DEFAULT_DATA_CIPHERS, null, null, null, "no", 64, 15);

    public DataOptions {
        dataCiphers = List.copyOf(dataCiphers);
    }
}
