package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.Objects;

/**
 * Decodes an LZO1X stream (as {@code lzo1x_decompress_safe} does for OpenVPN's {@code comp-lzo}), written
 * from the published description of the LZO1X instruction set. Stateless and thread-safe.
 *
 * <p>Each instruction is read in the light of how many literals the previous one copied ("state": 0,
 * 1–3, or 4 for a run of four or more):
 * <pre>
 * 0000LLLL state 0   literal run of 3+L bytes (L=0: 18 + 255·zeros + next byte)
 * 0000DDSS state 1-3 2-byte match, distance (H&lt;&lt;2)+D+1, H = next byte
 * 0000DDSS state 4   3-byte match, distance (H&lt;&lt;2)+D+2049
 * 0001HLLL           match 2+L, distance 16384+(H&lt;&lt;14)+(le16&gt;&gt;2); distance 16384 ends the stream
 * 001LLLLL           match 2+L, distance (le16&gt;&gt;2)+1
 * 01LDDDSS, 1LLDDDSS match 1+(op&gt;&gt;5), distance (H&lt;&lt;3)+D+1
 * SS (low two bits of the last distance byte) = literals to copy after a match; a first byte &gt; 17 is
 * a literal run of byte-17.
 * </pre>
 */
public final class Lzo1xDecompressor {
    private Lzo1xDecompressor() {}

    /** The decompressed data, or BAD_COMPRESSION for malformed input or output longer than {@code maxOut}. */
    public static Decoded<byte[]> decompress(byte[] in, int off, int len, int maxOut) {
        Objects.checkFromIndexSize(off, len, in.length);
        return new Run(in, off, off + len, maxOut).decode();
    }

    /** One decoding pass over one input; the cursor and output live here. */
    private static final class Run {
        private final byte[] in;
        private final int end;
        private final int maxOut;
        private final DecompressSink out;
        private int ip;

        Run(byte[] in, int start, int end, int maxOut) {
            this.in = in;
            this.ip = start;
            this.end = end;
            this.maxOut = maxOut;
            this.out = new DecompressSink(end - start, maxOut);
        }

        Decoded<byte[]> decode() {
            if (ip >= end) {
                return bad();
            }
            int state = 0;
            if ((in[ip] & 0xFF) > 17) {
                int n = (in[ip++] & 0xFF) - 17;
                if (!literals(n)) {
                    return bad();
                }
                state = Math.min(n, 4);
            }
            while (true) {
                if (ip >= end) {
                    return bad();
                }
                int t = in[ip++] & 0xFF;
                int distance;
                long length;
                int next;
                if (t < 16) {
                    if (state == 0) {
                        long n = t == 0 ? extended(15) : t;
                        if (n < 0 || !literals(n + 3)) {
                            return bad();
                        }
                        state = 4;
                        continue;
                    }
                    if (ip >= end) {
                        return bad();
                    }
                    int h = in[ip++] & 0xFF;
                    distance = (h << 2) + (t >>> 2) + (state == 4 ? 2049 : 1);
                    length = state == 4 ? 3 : 2;
                    next = t & 3;
                } else if (t >= 64) {
                    if (ip >= end) {
                        return bad();
                    }
                    int h = in[ip++] & 0xFF;
                    distance = (h << 3) + ((t >>> 2) & 7) + 1;
                    length = (t >>> 5) + 1;
                    next = t & 3;
                } else {
                    boolean far = t < 32;
                    long n = far ? t & 7 : t & 31;
                    if (n == 0) {
                        n = extended(far ? 7 : 31);
                    }
                    if (n < 0 || end - ip < 2) {
                        return bad();
                    }
                    int le16 = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
                    ip += 2;
                    length = n + 2;
                    next = le16 & 3;
                    if (far) {
                        distance = ((t & 8) << 11) + (le16 >>> 2);
                        if (distance == 0) {
                            return ip == end ? Decoded.ok(out.toArray()) : bad();
                        }
                        distance += 0x4000;
                    } else {
                        distance = (le16 >>> 2) + 1;
                    }
                }
                if (length > maxOut || !out.match(distance, (int) length) || !literals(next)) {
                    return bad();
                }
                state = next;
            }
        }

        /**
         * {@code base} + 255 per zero byte + the first non-zero byte; -1 when input ends. Not checked against the output
         * limit here, as liblzo2 does not: the end-of-stream marker carries a length that is never used, and each
         * zero byte is one byte of input, so the count stays bounded by the input.
         */
        private long extended(int base) {
            long n = base;
            while (ip < end && in[ip] == 0) {
                n += 255;
                ip++;
            }
            if (ip >= end) {
                return -1;
            }
            return n + (in[ip++] & 0xFF);
        }

        private boolean literals(long n) {
            if (n > end - ip || !out.literals(in, ip, (int) n)) {
                return false;
            }
            ip += (int) n;
            return true;
        }

        private static Decoded<byte[]> bad() {
            return Decoded.drop(DropReason.BAD_COMPRESSION);
        }
    }
}
