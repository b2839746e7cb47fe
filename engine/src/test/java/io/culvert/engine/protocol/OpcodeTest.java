package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class OpcodeTest {

    @Test
    void numbersMatchTheWireTable() {
        assertEquals(1, Opcode.CONTROL_HARD_RESET_CLIENT_V1.code());
        assertEquals(2, Opcode.CONTROL_HARD_RESET_SERVER_V1.code());
        assertEquals(3, Opcode.CONTROL_SOFT_RESET_V1.code());
        assertEquals(4, Opcode.CONTROL_V1.code());
        assertEquals(5, Opcode.ACK_V1.code());
        assertEquals(6, Opcode.DATA_V1.code());
        assertEquals(7, Opcode.CONTROL_HARD_RESET_CLIENT_V2.code());
        assertEquals(8, Opcode.CONTROL_HARD_RESET_SERVER_V2.code());
        assertEquals(9, Opcode.DATA_V2.code());
        assertEquals(10, Opcode.CONTROL_HARD_RESET_CLIENT_V3.code());
        assertEquals(11, Opcode.CONTROL_WKC_V1.code());
        assertEquals(11, Opcode.values().length);
    }

    @Test
    void fromCodeReturnsNullForUnknownNumbers() {
        for (Opcode op : Opcode.values()) {
            assertSame(op, Opcode.fromCode(op.code()));
        }
        for (int c : new int[] {-1, 0, 12, 31, 32, 255}) {
            assertNull(Opcode.fromCode(c));
        }
    }

    @Test
    void onlyDataOpcodesAreData() {
        for (Opcode op : Opcode.values()) {
            boolean data = op == Opcode.DATA_V1 || op == Opcode.DATA_V2;
            assertEquals(data, op.isData(), op.name());
            assertEquals(!data, op.isControl(), op.name());
        }
        assertTrue(Opcode.CONTROL_SOFT_RESET_V1.isReset());
        assertTrue(Opcode.CONTROL_HARD_RESET_SERVER_V2.isReset());
        assertFalse(Opcode.CONTROL_V1.isReset());
        assertFalse(Opcode.ACK_V1.isReset());
    }

    @Test
    void firstByteCombinesOpcodeAndKeyId() {
        assertEquals((byte) 0x38, Opcode.firstByte(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0));
        assertEquals((byte) 0x40, Opcode.firstByte(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0));
        assertEquals((byte) 0x48, Opcode.firstByte(Opcode.DATA_V2, 0));
        assertEquals((byte) 0x1A, Opcode.firstByte(Opcode.CONTROL_SOFT_RESET_V1, 2));
        assertEquals((byte) 0x5F, Opcode.firstByte(Opcode.CONTROL_WKC_V1, 7));
        assertEquals(11, Opcode.opcodeOf((byte) 0x5F));
        assertEquals(7, Opcode.keyIdOf((byte) 0x5F));
        assertEquals(31, Opcode.opcodeOf((byte) 0xFF));
        assertThrows(IllegalArgumentException.class, () -> Opcode.firstByte(Opcode.CONTROL_V1, 8));
    }
}
