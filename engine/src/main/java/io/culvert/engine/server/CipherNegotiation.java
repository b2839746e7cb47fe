package io.culvert.engine.server;

import io.culvert.engine.crypto.DataCipher;
import java.util.List;
import java.util.Optional;

/**
 * Picks the data-channel cipher for one client as a 2.6 server does: the first of the server's
 * {@code data-ciphers} the client announced; for a client that announces nothing, the cipher in its options
 * string if the server allows it, else {@code data-ciphers-fallback}.
 */
final class CipherNegotiation {
    private CipherNegotiation() {}

    static Optional<DataCipher> choose(List<String> serverCiphers, String fallback, PeerInfo peer, String clientOptions) {
        List<String> offered = peer.ciphers();
        if (!offered.isEmpty()) {
            for (String s : serverCiphers) {
                if (offered.stream().anyMatch(c -> c.equalsIgnoreCase(s))) {
                    return DataCipher.byName(s);
                }
            }
            return Optional.empty();
        }
        String occ = occCipher(clientOptions);
        if (occ != null && serverCiphers.stream().anyMatch(s -> s.equalsIgnoreCase(occ))) {
            return DataCipher.byName(occ);
        }
        return fallback == null ? Optional.empty() : DataCipher.byName(fallback);
    }

    /** The value of ",cipher X" in an options string, or null. */
    static String occCipher(String options) {
        if (options == null) {
            return null;
        }
        for (String field : options.split(",")) {
            if (field.startsWith("cipher ")) {
                return field.substring(7).trim();
            }
        }
        return null;
    }
}
