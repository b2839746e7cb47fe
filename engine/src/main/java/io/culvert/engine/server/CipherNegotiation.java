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

    /**
     * Whether this client's data channel uses 2.7's epoch format, as a 2.7 server decides it: the client offers it
     * (IV_PROTO bit 10) together with P_DATA_V2, and the cipher negotiated from its list is an AEAD cipher.
     */
    static boolean epochFormat(PeerInfo peer, DataCipher cipher) {
        return peer.has(PeerInfo.DATA_EPOCH) && peer.has(PeerInfo.DATA_V2) && !peer.ciphers().isEmpty()
                && cipher != null && cipher.aead();
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
