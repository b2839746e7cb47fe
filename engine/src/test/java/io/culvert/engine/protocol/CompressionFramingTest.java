package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressionFramingTest {

    private static final byte[] IP = {0x45, 0x00, 0x00, 0x54, 0x11};

    @Test
    void noneLeavesPayloadAlone() {
        assertArrayEquals(IP, CompressionFraming.NONE.frame(IP, 0, IP.length));
        assertArrayEquals(IP, CompressionFraming.NONE.unframe(IP, 0, IP.length).value());
    }

    @Test
    void lzoStubPrefixesFa() {
        assertArrayEquals(new byte[] {(byte) 0xFA, 0x45, 0x00, 0x00, 0x54, 0x11}, CompressionFraming.LZO_STUB.frame(IP, 0, IP.length));
        assertArrayEquals(new byte[] {0x45, 0x00}, CompressionFraming.LZO_STUB.unframe(new byte[] {(byte) 0xFA, 0x45, 0x00}, 0, 3).value());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.LZO_STUB.unframe(new byte[] {0x66, 1, 2}, 0, 3).reason());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.LZO_STUB.unframe(IP, 0, IP.length).reason());
    }

    @Test
    void swapStubMovesFirstByteToTheEnd() {
        assertArrayEquals(new byte[] {(byte) 0xFB, 0x00, 0x00, 0x54, 0x11, 0x45}, CompressionFraming.SWAP_STUB.frame(IP, 0, IP.length));
        assertArrayEquals(IP, CompressionFraming.SWAP_STUB.unframe(new byte[] {(byte) 0xFB, 0x00, 0x00, 0x54, 0x11, 0x45}, 0, 6).value());
        assertArrayEquals(new byte[] {(byte) 0xFB, 0x07}, CompressionFraming.SWAP_STUB.frame(new byte[] {7}, 0, 1));
        assertArrayEquals(new byte[0], CompressionFraming.SWAP_STUB.unframe(new byte[] {(byte) 0xFB}, 0, 1).value());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.SWAP_STUB.unframe(new byte[] {0x69, 1, 2}, 0, 3).reason());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.SWAP_STUB.unframe(new byte[] {(byte) 0xFA, 1}, 0, 2).reason());
    }

    @Test
    void v2StubEscapesOnlyA50FirstByte() {
        assertArrayEquals(IP, CompressionFraming.V2_STUB.frame(IP, 0, IP.length));
        byte[] starts50 = {0x50, 1, 2};
        assertArrayEquals(new byte[] {0x50, 0x00, 0x50, 1, 2}, CompressionFraming.V2_STUB.frame(starts50, 0, 3));
        assertArrayEquals(starts50, CompressionFraming.V2_STUB.unframe(new byte[] {0x50, 0x00, 0x50, 1, 2}, 0, 5).value());
        assertArrayEquals(IP, CompressionFraming.V2_STUB.unframe(IP, 0, IP.length).value());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.V2_STUB.unframe(new byte[] {0x50, 0x01, 9}, 0, 3).reason());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.V2_STUB.unframe(new byte[] {0x50}, 0, 1).reason());
    }

    @Test
    void emptyPayloadsPassThroughEveryMode() {
        for (CompressionFraming f : CompressionFraming.values()) {
            assertArrayEquals(new byte[0], f.frame(new byte[0], 0, 0));
            assertArrayEquals(new byte[0], f.unframe(new byte[0], 0, 0).value());
        }
    }

    @Test
    void everyModeRoundTripsRandomPayloadsIncludingPing() {
        Random rnd = new Random(42);
        for (CompressionFraming f : CompressionFraming.values()) {
            byte[] ping = DataMessages.ping();
            byte[] framed = f.frame(ping, 0, ping.length);
            byte[] back = f.unframe(framed, 0, framed.length).value();
            assertTrue(DataMessages.isPing(back, 0, back.length), f.name());
            for (int i = 0; i < 500; i++) {
                byte[] in = new byte[rnd.nextInt(40)];
                rnd.nextBytes(in);
                if (i % 7 == 0 && in.length > 0) {
                    in[0] = 0x50;
                }
                byte[] out = f.frame(in, 0, in.length);
                assertArrayEquals(in, f.unframe(out, 0, out.length).value(), f.name());
            }
        }
    }

    @Test
    void inPlaceFramingWritesWhatTheCopyingFramingWritesAndReadsItBack() {
        Random rnd = new Random(7);
        Span span = new Span();
        for (CompressionFraming f : CompressionFraming.values()) {
            for (int i = 0; i < 500; i++) {
                byte[] in = new byte[rnd.nextInt(40)];
                rnd.nextBytes(in);
                if (i % 5 == 0 && in.length > 0) {
                    in[0] = (byte) (i % 2 == 0 ? 0x50 : 0xFA);
                }
                byte[] buf = new byte[2 + in.length + 1];
                System.arraycopy(in, 0, buf, 2, in.length);
                f.frameInPlace(buf, 2, in.length, span);
                assertArrayEquals(f.frame(in, 0, in.length), span.toArray(), f + " frame " + i);
                byte[] wire = span.toArray();
                assertNull(f.unframeInPlace(wire, 0, wire.length, span), f.name());
                assertArrayEquals(in, span.toArray(), f + " unframe " + i);
            }
        }
        byte[] compressedLzo = {0x66, 1, 2, 3};
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.LZO_STUB.unframeInPlace(compressedLzo, 0, 4, span));
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.V2_STUB.unframeInPlace(new byte[] {0x50, 1, 9}, 0, 3, span));
    }

    @Test
    void acceptsOnlyStubFramingFromPush() {
        assertEquals(Optional.of(CompressionFraming.LZO_STUB), CompressionFraming.fromPushed(List.of("comp-lzo", "no")));
        assertEquals(Optional.of(CompressionFraming.SWAP_STUB), CompressionFraming.fromPushed(List.of("compress")));
        assertEquals(Optional.of(CompressionFraming.SWAP_STUB), CompressionFraming.fromPushed(List.of("compress", "stub")));
        assertEquals(Optional.of(CompressionFraming.V2_STUB), CompressionFraming.fromPushed(List.of("compress", "stub-v2")));
        for (List<String> refused : List.of(List.of("comp-lzo"), List.of("comp-lzo", "yes"), List.of("comp-lzo", "adaptive"),
                List.of("compress", "lz4"), List.of("compress", "lz4-v2"), List.of("compress", "lzo"), List.of("ping", "10"))) {
            assertEquals(Optional.empty(), CompressionFraming.fromPushed(refused), refused.toString());
        }
        assertTrue(CompressionFraming.isCompressionOption(List.of("compress", "lz4")));
        assertFalse(CompressionFraming.isCompressionOption(List.of("ping", "10")));
    }

    @Test
    void stubPeerInfoMatchesTheCapturedClient() {
        assertEquals("IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n", CompressionFraming.STUB_PEER_INFO);
    }
}
