package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeCompressionTest {
    private static final List<String> CIPHERS = List.of("AES-256-GCM", "AES-128-GCM");

    @Test
    void advertisesRealCompressionOnlyWhenAllowed() {
        String stub = Handshake.peerInfo(CIPHERS);
        assertTrue(stub.contains("IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n"), stub);
        assertFalse(stub.contains("IV_LZ4"), stub);
        String full = Handshake.peerInfo(CIPHERS, true);
        assertTrue(full.contains("IV_LZ4=1\nIV_LZ4v2=1\nIV_LZO=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n"), full);
        assertFalse(full.contains("IV_LZO_STUB"), full);
    }
}
