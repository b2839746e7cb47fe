package io.culvert.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    @Test
    void agreesWithThePlainRfc1071SumAtEveryLengthAndOffset() {
        Random random = new Random(3);
        byte[] data = new byte[70_000];
        random.nextBytes(data);
        for (int len = 0; len < 300; len++) {
            for (int off = 0; off < 9; off++) {
                long initial = random.nextInt(1 << 20);
                assertEquals(RefPackets.rfc1071(data, off, len, initial), Checksum.finish(Checksum.sum(data, off, len, initial)),
                        "len " + len + " off " + off);
            }
        }
        assertEquals(RefPackets.rfc1071(data, 1, 65_535, 0), Checksum.finish(Checksum.sum(data, 1, 65_535, 0)));
        byte[] ones = new byte[65_536];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertEquals(RefPackets.rfc1071(ones, 0, ones.length, 0xffff),
                Checksum.finish(Checksum.sum(ones, 0, ones.length, 0xffff)));
    }

    @Test
    void rfc1071sWorkedExample() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded), checksum 220d.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, Checksum.fold(Checksum.sum(b, 0, b.length, 0)));
        assertEquals(0x220d, Checksum.finish(Checksum.sum(b, 0, b.length, 0)));
    }
}
