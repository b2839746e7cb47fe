package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DataMessagesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void pingIsTheSixteenByteMagic() {
        assertArrayEquals(HEX.parseHex("2a187bf3641eb4cb07ed2d0a981fc748"), DataMessages.ping());
    }

    @Test
    void pingDetectionNeedsAnExactMatch() {
        byte[] ping = DataMessages.ping();
        assertTrue(DataMessages.isPing(ping, 0, 16));
        assertFalse(DataMessages.isPing(Arrays.copyOf(ping, 17), 0, 17));
        assertFalse(DataMessages.isPing(ping, 0, 15));
        ping[15] ^= 1;
        assertFalse(DataMessages.isPing(ping, 0, 16));
        byte[] shifted = new byte[20];
        System.arraycopy(DataMessages.ping(), 0, shifted, 3, 16);
        assertTrue(DataMessages.isPing(shifted, 3, 16));
    }

    @Test
    void occExitIsMagicThenSix() {
        assertArrayEquals(HEX.parseHex("287f346bd4ef7a812d56b8d3afc5459c06"), DataMessages.occExit());
        byte[] exit = DataMessages.occExit();
        assertTrue(DataMessages.isOcc(exit, 0, exit.length));
        assertEquals(DataMessages.OCC_EXIT, DataMessages.occOpcode(exit, 0, exit.length));
    }

    @Test
    void occDetectionIsAPrefixMatch() {
        byte[] reply = Arrays.copyOf(DataMessages.occ(DataMessages.OCC_REPLY), 30);
        assertTrue(DataMessages.isOcc(reply, 0, reply.length));
        assertEquals(1, DataMessages.occOpcode(reply, 0, reply.length));
        byte[] magic = DataMessages.occMagic();
        assertTrue(DataMessages.isOcc(magic, 0, 16));
        assertEquals(-1, DataMessages.occOpcode(magic, 0, 16));
        assertFalse(DataMessages.isOcc(magic, 0, 15));
        assertEquals(-1, DataMessages.occOpcode(DataMessages.ping(), 0, 16));
    }
}
