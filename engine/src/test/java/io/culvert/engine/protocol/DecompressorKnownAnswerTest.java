package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our decompressors against vectors made by the system's real liblzo2 and liblz4. */
class DecompressorKnownAnswerTest {
    private static final int[] SIZES = {0, 1, 2, 3, 4, 5, 7, 12, 13, 15, 16, 17, 18, 19, 31, 32, 33, 63, 64, 99, 100,
        127, 128, 255, 256, 257, 300, 511, 1000, 1024, 1200, 1400, 1500, 2048, 2049, 3000, 4096, 9000, 16384, 16385,
        20000, 40000, 49152, 50000, 65535};
    private static final String TEXT = "GET /index.html HTTP/1.1\r\nHost: vpn.example.com\r\nUser-Agent: culvert\r\n"
            + "Accept: text/html,application/xhtml+xml;q=0.9\r\n\r\nThe quick brown fox jumps over the lazy dog. ";

    @Test
    void lzoReproducesEveryKindOfInput() {
        for (byte[] in : inputs()) {
            byte[] packed = NativeCompressors.lzo1x1(in);
            Decoded<byte[]> out = Lzo1xDecompressor.decompress(packed, 0, packed.length, 65535);
            assertTrue(out.isOk(), () -> "length " + in.length + ": " + out);
            assertArrayEquals(in, out.value(), "length " + in.length);
        }
    }

    @Test
    void lz4ReproducesEveryKindOfInput() {
        for (byte[] in : inputs()) {
            if (in.length == 0) {
                continue;
            }
            byte[] packed = NativeCompressors.lz4(in);
            Decoded<byte[]> out = Lz4BlockDecompressor.decompress(packed, 0, packed.length, 65535);
            assertTrue(out.isOk(), () -> "length " + in.length + ": " + out);
            assertArrayEquals(in, out.value(), "length " + in.length);
        }
    }

    @Test
    void fixedVectorsOfTwelveHundredZerosDecode() {
        // liblzo2 lzo1x_1_compress: 5 literals, M3 match of 1180 at distance 5 (extended length), 15 literals, end
        byte[] lzo = HexFormat.of().parseHex("02000000000020000000007f10000c000000000000000000000000000000110000");
        assertArrayEquals(lzo, NativeCompressors.lzo1x1(new byte[1200]));
        assertArrayEquals(new byte[1200], Lzo1xDecompressor.decompress(lzo, 0, lzo.length, 65535).value());
        // liblz4 LZ4_compress_default: 1 literal, match of 1194 at offset 1, then 5 final literals
        byte[] lz4 = HexFormat.of().parseHex("1f000100ffffffff9b500000000000");
        assertArrayEquals(lz4, NativeCompressors.lz4(new byte[1200]));
        assertArrayEquals(new byte[1200], Lz4BlockDecompressor.decompress(lz4, 0, lz4.length, 65535).value());
        assertEquals(DropReason.BAD_COMPRESSION, Lzo1xDecompressor.decompress(lzo, 0, lzo.length, 1199).reason());
        assertEquals(DropReason.BAD_COMPRESSION, Lz4BlockDecompressor.decompress(lz4, 0, lz4.length, 1199).reason());
        byte[] literalOnly = HexFormat.of().parseHex("1668656c6c6f110000");
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII),
                Lzo1xDecompressor.decompress(literalOnly, 0, literalOnly.length, 100).value());
    }

    @Test
    void lz4DecodesAnOverlappingMatch() {
        // token 0x1F: 1 literal 'a', match len 15+4+1, offset 1 -> 21 x 'a', then 5 literals
        byte[] block = HexFormat.of().parseHex("1f61010001" + "50" + "6262626262");
        assertEquals("a".repeat(21) + "bbbbb",
                new String(Lz4BlockDecompressor.decompress(block, 0, block.length, 100).value(), StandardCharsets.US_ASCII));
    }

    /**
     * Found by the bounded fuzzer: an end-of-stream marker (a far match at distance 0) whose length field is extended
     * by many zero bytes, longer than the output limit. liblzo2 (lzo1x_decompress_safe, as openvpn calls it) never
     * checks the marker's length against the output, so it decodes the ten literals before it; so do we.
     */
    @Test
    void anEndMarkerWithALongLengthFieldEndsTheStreamAsLiblzo2Does() {
        byte[] in = HexFormat.of().parseHex("07" + "07000000000000000000" + "10" + "00000000000000000000" + "08" + "0000");
        Decoded<byte[]> ours = Lzo1xDecompressor.decompress(in, 0, in.length, 1747);
        assertTrue(ours.isOk(), () -> "dropped: " + ours.reason());
        assertArrayEquals(Arrays.copyOfRange(in, 1, 11), ours.value());
        assertArrayEquals(ours.value(), NativeCompressors.unlzo(in, 1747), "the system's liblzo2");
    }

    @Test
    void outputBeyondTheLimitIsDropped() {
        byte[] big = new byte[60000];
        byte[] lzo = NativeCompressors.lzo1x1(big);
        byte[] lz4 = NativeCompressors.lz4(big);
        assertEquals(DropReason.BAD_COMPRESSION, Lzo1xDecompressor.decompress(lzo, 0, lzo.length, 59999).reason());
        assertEquals(DropReason.BAD_COMPRESSION, Lz4BlockDecompressor.decompress(lz4, 0, lz4.length, 59999).reason());
        assertTrue(Lzo1xDecompressor.decompress(lzo, 0, lzo.length, 60000).isOk());
        assertTrue(Lz4BlockDecompressor.decompress(lz4, 0, lz4.length, 60000).isOk());
    }

    @Test
    void everyTruncationIsDropped() {
        byte[] in = text(3000);
        byte[] lzo = NativeCompressors.lzo1x1(in);
        for (int n = 0; n < lzo.length; n++) {
            assertEquals(DropReason.BAD_COMPRESSION, Lzo1xDecompressor.decompress(lzo, 0, n, 65535).reason(), "lzo " + n);
        }
        byte[] lz4 = NativeCompressors.lz4(in);
        for (int n = 0; n < lz4.length; n++) {
            Decoded<byte[]> d = Lz4BlockDecompressor.decompress(lz4, 0, n, 65535);
            // a cut exactly after a sequence's literals is a valid shorter block; it must never equal the input
            assertFalse(d.isOk() && Arrays.equals(in, d.value()), "lz4 " + n);
        }
        assertEquals(DropReason.BAD_COMPRESSION, Lz4BlockDecompressor.decompress(lz4, 0, 0, 65535).reason());
    }

    @Test
    void trailingGarbageAndBadDistancesAreDropped() {
        byte[] lzo = NativeCompressors.lzo1x1(text(500));
        byte[] longer = Arrays.copyOf(lzo, lzo.length + 1);
        assertEquals(DropReason.BAD_COMPRESSION, Lzo1xDecompressor.decompress(longer, 0, longer.length, 65535).reason());
        // a match 5 bytes back when only 1 byte has been written
        byte[] lz4 = HexFormat.of().parseHex("1061050000");
        assertEquals(DropReason.BAD_COMPRESSION, Lz4BlockDecompressor.decompress(lz4, 0, lz4.length, 100).reason());
        byte[] zeroOffset = HexFormat.of().parseHex("106100000000");
        assertEquals(DropReason.BAD_COMPRESSION, Lz4BlockDecompressor.decompress(zeroOffset, 0, zeroOffset.length, 100).reason());
        // literal 'a' then a 2-byte-distance M2 match (0x40: length 3, distance 1 + (0x01 << 3) = 9) back past the start
        byte[] lzoFar = HexFormat.of().parseHex("1261" + "4001" + "110000");
        assertEquals(DropReason.BAD_COMPRESSION, Lzo1xDecompressor.decompress(lzoFar, 0, lzoFar.length, 100).reason());
    }

    @Test
    void fuzzedInputsNeverThrow() {
        Random r = new Random(0xC0FFEE);
        List<byte[]> seeds = List.of(NativeCompressors.lzo1x1(text(1400)), NativeCompressors.lz4(text(1400)),
                NativeCompressors.lzo1x1(new byte[1400]), NativeCompressors.lz4(new byte[1400]));
        int ok = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] in;
            if (i % 2 == 0) {
                in = seeds.get(r.nextInt(seeds.size())).clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    in[r.nextInt(in.length)] = (byte) r.nextInt(256);
                }
            } else {
                in = new byte[r.nextInt(64)];
                r.nextBytes(in);
            }
            Decoded<byte[]> a = Lzo1xDecompressor.decompress(in, 0, in.length, 65535);
            Decoded<byte[]> b = Lz4BlockDecompressor.decompress(in, 0, in.length, 65535);
            assertTrue(a.isOk() || a.reason() == DropReason.BAD_COMPRESSION);
            assertTrue(b.isOk() || b.reason() == DropReason.BAD_COMPRESSION);
            assertTrue(!a.isOk() || a.value().length <= 65535);
            assertTrue(!b.isOk() || b.value().length <= 65535);
            ok += (a.isOk() ? 1 : 0) + (b.isOk() ? 1 : 0);
        }
        assertTrue(ok < 200_000, "most fuzzed inputs are rejected");
    }

    private static List<byte[]> inputs() {
        Random r = new Random(42);
        List<byte[]> all = new ArrayList<>();
        for (int n : SIZES) {
            byte[] random = new byte[n];
            r.nextBytes(random);
            all.add(random);
            all.add(new byte[n]);
            all.add(text(n));
            byte[] mixed = text(n);
            for (int i = 0; i < n; i += 1 + r.nextInt(40)) {
                mixed[i] = (byte) r.nextInt(256);
            }
            all.add(mixed);
            byte[] runs = new byte[n];
            for (int i = 0; i < n; i++) {
                runs[i] = (byte) ((i / (1 + r.nextInt(300))) & 0x3);
            }
            all.add(runs);
        }
        return all;
    }

    private static byte[] text(int n) {
        byte[] t = TEXT.repeat(n / TEXT.length() + 1).getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(t, n);
    }
}
