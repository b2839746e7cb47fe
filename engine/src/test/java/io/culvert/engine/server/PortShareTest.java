package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link PortShare#isOpenvpn}: OpenVPN's {@code is_openvpn_protocol} (ps.c) on the first bytes of a connection. */
class PortShareTest {

    @Test
    void webClientsFirstBytesAreForeign() {
        byte[] http = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        assertFalse(PortShare.isOpenvpn(http, http.length));
        byte[] tlsHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
        assertFalse(PortShare.isOpenvpn(tlsHello, tlsHello.length));
    }

    @Test
    void openvpnResetsAreOpenvpn() {
        assertTrue(PortShare.isOpenvpn(new byte[] {0, 54, 0x38}, 3), "hard reset client v2, 54 bytes");
        assertFalse(PortShare.isOpenvpn(new byte[] {0, 13, 0x38}, 3), "shorter than any reset");
        assertFalse(PortShare.isOpenvpn(new byte[] {0, 54, 0x20}, 3), "P_CONTROL_V1 cannot open a connection");
        assertTrue(PortShare.isOpenvpn(new byte[] {1, (byte) 0x90, 0x50}, 3), "hard reset client v3 (tls-crypt-v2), 400 bytes");
        assertFalse(PortShare.isOpenvpn(new byte[] {0, 100, 0x50}, 3), "a v3 reset too short for a wrapped client key");
        assertTrue(PortShare.isOpenvpn(new byte[] {0, 54}, 2), "two bytes: the length decides");
        assertFalse(PortShare.isOpenvpn(new byte[] {'G', 'E'}, 2));
    }
}
