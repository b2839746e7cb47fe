package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.DropReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decompressing framings (allow-compression asym|yes), with payloads compressed by the real libraries. */
class CompressionFramingDecompressTest {
    private static final byte[] PACKET = ("E\0\4\264" + "x".repeat(600) + "tail").getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void lzoAcceptsCompressedAndPlainButSendsPlain() {
        byte[] z = NativeCompressors.lzo1x1(PACKET);
        assertArrayEquals(PACKET, CompressionFraming.LZO.unframe(concat(new byte[] {0x66}, z), 0, z.length + 1).value());
        assertArrayEquals(PACKET, CompressionFraming.LZO.unframe(concat(new byte[] {(byte) 0xFA}, PACKET), 0,
                PACKET.length + 1).value());
        assertArrayEquals(concat(new byte[] {(byte) 0xFA}, PACKET), CompressionFraming.LZO.frame(PACKET, 0, PACKET.length));
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.LZO.unframe(new byte[] {0x69, 1}, 0, 2).reason());
        assertEquals(DropReason.BAD_COMPRESSION,
                CompressionFraming.LZO_STUB.unframe(concat(new byte[] {0x66}, z), 0, z.length + 1).reason());
        byte[] bad = concat(new byte[] {0x66}, z);
        bad[bad.length - 2] ^= 0x40;
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.LZO.unframe(bad, 0, bad.length).reason());
    }

    @Test
    void lz4UndoesTheSwapAroundTheCompressedBlock() {
        byte[] z = NativeCompressors.lz4(PACKET);
        byte[] framed = new byte[z.length + 1];
        framed[0] = 0x69;
        System.arraycopy(z, 1, framed, 1, z.length - 1);
        framed[z.length] = z[0];
        assertArrayEquals(PACKET, CompressionFraming.LZ4.unframe(framed, 0, framed.length).value());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.SWAP_STUB.unframe(framed, 0, framed.length).reason());
        byte[] plain = CompressionFraming.LZ4.frame(PACKET, 0, PACKET.length);
        assertEquals((byte) 0xFB, plain[0]);
        assertArrayEquals(PACKET, CompressionFraming.LZ4.unframe(plain, 0, plain.length).value());
    }

    @Test
    void lz4v2DecompressesAfterTheFiftyZeroOneHeader() {
        byte[] z = NativeCompressors.lz4(PACKET);
        byte[] framed = concat(new byte[] {0x50, 0x01}, z);
        assertArrayEquals(PACKET, CompressionFraming.LZ4_V2.unframe(framed, 0, framed.length).value());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.V2_STUB.unframe(framed, 0, framed.length).reason());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.LZ4_V2.unframe(new byte[] {0x50, 0x02, 1}, 0, 3).reason());
        assertEquals(DropReason.BAD_COMPRESSION, CompressionFraming.LZ4_V2.unframe(new byte[] {0x50}, 0, 1).reason());
        assertArrayEquals(new byte[] {0x50, 0x00, 0x50, 0x07}, CompressionFraming.LZ4_V2.frame(new byte[] {0x50, 7}, 0, 2));
        assertArrayEquals(PACKET, CompressionFraming.LZ4_V2.unframe(PACKET, 0, PACKET.length).value());
    }

    @Test
    void payloadsDecompressingPastTheLimitAreDropped() {
        byte[] z = NativeCompressors.lzo1x1(new byte[CompressionFraming.MAX_DECOMPRESSED + 1]);
        assertEquals(DropReason.BAD_COMPRESSION,
                CompressionFraming.LZO.unframe(concat(new byte[] {0x66}, z), 0, z.length + 1).reason());
        byte[] y = NativeCompressors.lz4(new byte[CompressionFraming.MAX_DECOMPRESSED + 1]);
        assertEquals(DropReason.BAD_COMPRESSION,
                CompressionFraming.LZ4_V2.unframe(concat(new byte[] {0x50, 0x01}, y), 0, y.length + 2).reason());
    }

    @Test
    void allowCompressionDecidesWhichPushesAreAccepted() {
        for (AllowCompression a : List.of(AllowCompression.ASYM, AllowCompression.YES)) {
            assertEquals(Optional.of(CompressionFraming.LZO), CompressionFraming.fromPushed(List.of("comp-lzo"), a));
            assertEquals(Optional.of(CompressionFraming.LZO), CompressionFraming.fromPushed(List.of("comp-lzo", "yes"), a));
            assertEquals(Optional.of(CompressionFraming.LZO),
                    CompressionFraming.fromPushed(List.of("comp-lzo", "adaptive"), a));
            assertEquals(Optional.of(CompressionFraming.LZO), CompressionFraming.fromPushed(List.of("compress", "lzo"), a));
            assertEquals(Optional.of(CompressionFraming.LZ4), CompressionFraming.fromPushed(List.of("compress", "lz4"), a));
            assertEquals(Optional.of(CompressionFraming.LZ4_V2),
                    CompressionFraming.fromPushed(List.of("compress", "lz4-v2"), a));
            assertEquals(Optional.of(CompressionFraming.LZO_STUB),
                    CompressionFraming.fromPushed(List.of("comp-lzo", "no"), a));
            assertEquals(Optional.of(CompressionFraming.V2_STUB),
                    CompressionFraming.fromPushed(List.of("compress", "stub-v2"), a));
            assertEquals(Optional.empty(), CompressionFraming.fromPushed(List.of("compress", "snappy"), a));
            assertEquals(Optional.empty(), CompressionFraming.fromPushed(List.of("compress", "migrate"), a));
        }
        assertEquals(Optional.empty(), CompressionFraming.fromPushed(List.of("comp-lzo", "yes"), AllowCompression.NO));
        assertEquals(Optional.empty(), CompressionFraming.fromPushed(List.of("compress", "lz4-v2"), AllowCompression.NO));
        assertEquals(Optional.of(CompressionFraming.SWAP_STUB),
                CompressionFraming.fromPushed(List.of("compress"), AllowCompression.NO));
        assertEquals(AllowCompression.NO, AllowCompression.parse(null));
        assertEquals(AllowCompression.ASYM, AllowCompression.parse("asym"));
        assertTrue(CompressionFraming.LZ4_V2.decompresses());
        assertFalse(CompressionFraming.V2_STUB.decompresses());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
