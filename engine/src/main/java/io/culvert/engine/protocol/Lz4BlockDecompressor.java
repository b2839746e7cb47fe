package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.Objects;

/**
 * Decodes one LZ4 block (the raw block format, no frame header), as {@code LZ4_decompress_safe} does for
 * OpenVPN's {@code compress lz4} and {@code lz4-v2}. Written from the public LZ4 block format description.
 * Stateless and thread-safe.
 *
 * <pre>
 * sequence: token(literal len:4 | match len-4:4) [len ext 255…] literals [offset u16le [match len ext 255…]]
 * the block ends right after the literals of its last sequence
 * </pre>
 */
public final class Lz4BlockDecompressor {
    private static final int MIN_MATCH = 4;

    private Lz4BlockDecompressor() {}

    /** The decompressed block, or BAD_COMPRESSION for malformed input or output longer than {@code maxOut}. */
    public static Decoded<byte[]> decompress(byte[] in, int off, int len, int maxOut) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (len == 0) {
            return bad();
        }
        DecompressSink out = new DecompressSink(len, maxOut);
        int ip = off;
        int end = off + len;
        while (true) {
            if (ip >= end) {
                return bad();
            }
            int token = in[ip++] & 0xFF;
            long lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= end) {
                        return bad();
                    }
                    b = in[ip++] & 0xFF;
                    lit += b;
                } while (b == 255 && lit <= maxOut);
            }
            if (lit > end - ip || !out.literals(in, ip, (int) lit)) {
                return bad();
            }
            ip += (int) lit;
            if (ip == end) {
                break;
            }
            if (end - ip < 2) {
                return bad();
            }
            int distance = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
            ip += 2;
            long matchLen = token & 0x0F;
            if (matchLen == 15) {
                int b;
                do {
                    if (ip >= end) {
                        return bad();
                    }
                    b = in[ip++] & 0xFF;
                    matchLen += b;
                } while (b == 255 && matchLen <= maxOut);
            }
            matchLen += MIN_MATCH;
            if (matchLen > maxOut || !out.match(distance, (int) matchLen)) {
                return bad();
            }
        }
        return out.size() == 0 ? bad() : Decoded.ok(out.toArray());
    }

    private static Decoded<byte[]> bad() {
        return Decoded.drop(DropReason.BAD_COMPRESSION);
    }
}
