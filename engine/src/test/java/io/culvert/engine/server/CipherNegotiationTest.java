package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.crypto.DataCipher;
import org.junit.jupiter.api.Test;

/** The epoch data format is chosen as a 2.7 server chooses it: only when the client offers it and it can work. */
class CipherNegotiationTest {
    /** DATA_V2 | REQUEST_PUSH | TLS_KEY_EXPORT | AUTH_PENDING_KW | CC_EXIT_NOTIFY | AUTH_FAIL_TEMP, as 2.6 sends. */
    private static final int PROTO_26 = 2 | 4 | 8 | 16 | 128 | 256;
    private static final String CIPHERS = "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305:AES-256-CBC\n";

    private static PeerInfo peer(int ivProto) {
        return PeerInfo.parse("IV_VER=2.7.6\nIV_PROTO=" + ivProto + "\n" + CIPHERS);
    }

    @Test
    void clientOfferingEpochWithAnAeadCipherGetsIt() {
        assertTrue(CipherNegotiation.epochFormat(peer(PROTO_26 | PeerInfo.DATA_EPOCH), DataCipher.AES_256_GCM));
        assertTrue(CipherNegotiation.epochFormat(peer(PROTO_26 | PeerInfo.DATA_EPOCH), DataCipher.CHACHA20_POLY1305));
    }

    @Test
    void noEpochForA26ClientACbcCipherOrWithoutDataV2() {
        assertFalse(CipherNegotiation.epochFormat(peer(PROTO_26), DataCipher.AES_256_GCM));
        assertFalse(CipherNegotiation.epochFormat(peer(PROTO_26 | PeerInfo.DATA_EPOCH), DataCipher.AES_256_CBC));
        assertFalse(CipherNegotiation.epochFormat(peer((PROTO_26 | PeerInfo.DATA_EPOCH) & ~PeerInfo.DATA_V2),
                DataCipher.AES_256_GCM));
        assertFalse(CipherNegotiation.epochFormat(PeerInfo.parse("IV_PROTO=" + (PROTO_26 | PeerInfo.DATA_EPOCH) + "\n"),
                DataCipher.AES_256_GCM), "a client without NCP takes the fallback cipher, in the classic format");
    }
}
