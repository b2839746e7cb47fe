package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.DropReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyMethod2Test {

    // Strings and lengths from captures/udp-none-aes256gcm/decoded.txt (the randoms are TLS-encrypted there).
    private static final String CLIENT_OPTIONS =
            "V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,tls-client";
    private static final String SERVER_OPTIONS = CLIENT_OPTIONS.replace("tls-client", "tls-server");
    private static final String PEER_INFO = "IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=1600\nIV_CIPHERS=AES-256-GCM\n"
            + "IV_PROTO=990\nIV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n";

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private static KeyMethod2 client() {
        return new KeyMethod2(filled(48, 0xAA), filled(32, 0xBB), filled(32, 0xCC), CLIENT_OPTIONS, "", "", PEER_INFO);
    }

    private static KeyMethod2 server() {
        return new KeyMethod2(null, filled(32, 0x11), filled(32, 0x22), SERVER_OPTIONS, "", "", "");
    }

    @Test
    void clientMessageHasTheCapturedLengthAndLayout() {
        byte[] b = client().toBytes();
        assertEquals(360, b.length);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 2}, Arrays.copyOf(b, 5));
        assertEquals(0xAA, b[5] & 0xFF);
        assertEquals(0xBB, b[53] & 0xFF);
        assertEquals(0xCC, b[85] & 0xFF);
        assertEquals(CLIENT_OPTIONS.length() + 1, Bytes.u16(b, 117));
        assertEquals(0, b[119 + CLIENT_OPTIONS.length()]);
        int user = 119 + CLIENT_OPTIONS.length() + 1;
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Arrays.copyOfRange(b, user, user + 4));
        assertEquals(PEER_INFO.length() + 1, Bytes.u16(b, user + 4));
        assertEquals(0, b[b.length - 1]);
    }

    @Test
    void serverMessageHasTheCapturedLengthAndNoPreMaster() {
        byte[] b = server().toBytes();
        assertEquals(178, b.length);
        assertEquals(0x11, b[5] & 0xFF);
        assertEquals(0x22, b[37] & 0xFF);
        assertArrayEquals(new byte[6], Arrays.copyOfRange(b, 172, 178));
    }

    @Test
    void roundTripsBothDirections() {
        assertEquals(client(), KeyMethod2.parse(client().toBytes(), 0, 360, true).value());
        assertEquals(server(), KeyMethod2.parse(server().toBytes(), 0, 178, false).value());
        var withAuth = new KeyMethod2(filled(48, 1), filled(32, 2), filled(32, 3), "V4", "alice", "pä55word", "IV_VER=x\n");
        assertEquals(withAuth, KeyMethod2.parse(withAuth.toBytes(), 0, withAuth.toBytes().length, true).value());
        assertTrue(withAuth.fromClient());
        assertFalse(server().fromClient());
    }

    @Test
    void parsesAHandWrittenServerMessage() {
        String hex = "0000000002" + "01".repeat(32) + "02".repeat(32) + "0003" + "563400" + "0000" + "0001" + "00" + "0000";
        byte[] b = HexFormat.of().parseHex(hex);
        KeyMethod2 k = KeyMethod2.parse(b, 0, b.length, false).value();
        assertEquals("V4", k.options());
        assertEquals("", k.username());
        assertEquals("", k.password(), "a lone NUL is an empty string");
        assertEquals("", k.peerInfo());
        assertNull(k.preMaster());
        assertArrayEquals(filled(32, 1), k.random1());
    }

    @Test
    void readsStringsLikeCStrings() {
        // options "AB" written without NUL: the last byte is forced to NUL; user "x\0y": ends at the NUL.
        String hex = "0000000002" + "00".repeat(64) + "0002" + "4142" + "0004" + "78007900";
        byte[] b = HexFormat.of().parseHex(hex);
        KeyMethod2 k = KeyMethod2.parse(b, 0, b.length, false).value();
        assertEquals("A", k.options());
        assertEquals("x", k.username());
        assertEquals("", k.password(), "missing trailing strings read as empty");
        assertEquals("", k.peerInfo());
    }

    @Test
    void acceptsFlagBitsInTheKeyMethodByteAndIgnoresTrailingBytes() {
        byte[] b = Arrays.copyOf(server().toBytes(), 190);
        b[4] = 0x12;
        assertEquals(server(), KeyMethod2.parse(b, 0, b.length, false).value());
    }

    @Test
    void rejectsWrongPrefixOrKeyMethod() {
        byte[] b = server().toBytes();
        b[4] = 1;
        assertEquals(DropReason.MALFORMED, KeyMethod2.parse(b, 0, b.length, false).reason());
        b = server().toBytes();
        b[2] = 1;
        assertEquals(DropReason.MALFORMED, KeyMethod2.parse(b, 0, b.length, false).reason());
    }

    @Test
    void rejectsOversizedStrings() {
        byte[] b = server().toBytes();
        Bytes.putU16(b, 69, 513);
        assertEquals(DropReason.MALFORMED, KeyMethod2.parse(b, 0, b.length, false).reason());
        byte[] u = new byte[69 + 2 + 2 + 4097];
        u[4] = 2;
        Bytes.putU16(u, 71, 4097);
        assertEquals(DropReason.MALFORMED, KeyMethod2.parse(u, 0, u.length, false).reason());
        Bytes.putU16(u, 71, 4096);
        assertTrue(KeyMethod2.parse(u, 0, u.length - 1, false).isOk());
        assertThrows(IllegalArgumentException.class, () -> new KeyMethod2(null, new byte[32], new byte[32], "o".repeat(512), "", "", ""));
        assertDoesNotThrow(() -> new KeyMethod2(null, new byte[32], new byte[32], "o".repeat(511), "", "", ""));
    }

    @Test
    void rejectsTruncatedMessages() {
        byte[] b = client().toBytes();
        int optionsEnd = 119 + CLIENT_OPTIONS.length() + 1;
        for (int n = 0; n < optionsEnd; n++) {
            assertEquals(DropReason.TRUNCATED, KeyMethod2.parse(b, 0, n, true).reason(), "length " + n);
        }
        assertEquals(DropReason.TRUNCATED, KeyMethod2.parse(b, 0, b.length - 1, true).reason());
    }

    @Test
    void rejectsInvalidUtf8ThatWouldGrowPastTheLimit() {
        byte[] u = new byte[69 + 2 + 2 + 4000];
        u[4] = 2;
        Bytes.putU16(u, 71, 4000);
        Arrays.fill(u, 73, u.length - 1, (byte) 0xFF);
        assertEquals(DropReason.MALFORMED, KeyMethod2.parse(u, 0, u.length, false).reason());
    }

    @Test
    void frameLengthFindsTheMessageEndInAStream() {
        byte[] msg = client().toBytes();
        byte[] stream = Arrays.copyOf(msg, msg.length + 13);
        System.arraycopy("PUSH_REQUEST\0".getBytes(StandardCharsets.US_ASCII), 0, stream, msg.length, 13);
        assertEquals(360, KeyMethod2.frameLength(stream, 0, stream.length, true));
        for (int n = 0; n < 360; n++) {
            assertEquals(0, KeyMethod2.frameLength(stream, 0, n, true), "prefix " + n);
        }
        stream[4] = 1;
        assertEquals(-1, KeyMethod2.frameLength(stream, 0, stream.length, true));
    }

    @Test
    void toStringRedactsThePassword() {
        var k = new KeyMethod2(filled(48, 1), filled(32, 2), filled(32, 3), "V4", "alice", "hunter2", "");
        assertFalse(k.toString().contains("hunter2"));
        assertTrue(k.toString().contains("alice"));
    }
}
