package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.Arrays;

/**
 * Fuzz target (ADR 0015) for the LZO1X and LZ4 block decompressors and the compression framings around them.
 * The first input byte picks the algorithm, the output limit and the mode; the rest is the payload.
 * Oracles: no exception; a result never longer than the limit; a drop is always BAD_COMPRESSION; whatever the
 * system's liblzo2 / liblz4 ({@code *_decompress_safe}, as openvpn calls them) decode, we decode to the same
 * bytes (except a match at offset 0, see below); and data compressed by those libraries comes back unchanged.
 */
public final class DecompressFuzz {
    private DecompressFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int sel = data[0] & 0xFF;
        byte[] payload = Arrays.copyOfRange(data, 1, data.length);
        boolean lz4 = (sel & 1) != 0;
        int max = (sel & 0x80) != 0 ? 1 + (sel >> 2 & 0x1F) * 97 : CompressionFraming.MAX_DECOMPRESSED;
        if ((sel & 2) != 0) {
            roundTrip(payload, lz4);
        } else {
            differential(payload, lz4, max);
        }
        framings(data);
    }

    private static void differential(byte[] in, boolean lz4, int max) {
        Decoded<byte[]> ours = lz4 ? Lz4BlockDecompressor.decompress(in, 0, in.length, max)
                : Lzo1xDecompressor.decompress(in, 0, in.length, max);
        checkBounded(ours, max);
        byte[] ref = in.length == 0 ? null : lz4 ? NativeCompressors.unlz4(in, max) : NativeCompressors.unlzo(in, max);
        // liblz4 decodes a match at offset 0, which the block format forbids, by copying whatever its literal
        // copy left in the output buffer; we drop such blocks.
        if (ref != null && ref.length > 0 && !(lz4 && hasZeroOffset(in))) {
            if (!ours.isOk()) {
                throw new AssertionError((lz4 ? "liblz4" : "liblzo2") + " decodes " + ref.length + " bytes where we drop: "
                        + ours.reason());
            }
            if (!Arrays.equals(ref, ours.value())) {
                throw new AssertionError((lz4 ? "liblz4" : "liblzo2") + " decodes other bytes than we do");
            }
        }
    }

    /** True when a sequence of the LZ4 block {@code in} has a match offset of 0 (before any malformation). */
    static boolean hasZeroOffset(byte[] in) {
        int ip = 0;
        while (ip < in.length) {
            int token = in[ip++] & 0xFF;
            long lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= in.length) {
                        return false;
                    }
                    b = in[ip++] & 0xFF;
                    lit += b;
                } while (b == 255);
            }
            ip += (int) Math.min(lit, in.length);
            if (ip + 2 > in.length) {
                return false;
            }
            if (in[ip] == 0 && in[ip + 1] == 0) {
                return true;
            }
            ip += 2;
            if ((token & 0x0F) == 15) {
                while (ip < in.length && in[ip++] == (byte) 0xFF) {
                    // match length extension
                }
            }
        }
        return false;
    }

    private static void roundTrip(byte[] plain, boolean lz4) {
        if (plain.length == 0) {
            return;
        }
        byte[] packed = lz4 ? NativeCompressors.lz4(plain) : NativeCompressors.lzo1x1(plain);
        Decoded<byte[]> back = lz4 ? Lz4BlockDecompressor.decompress(packed, 0, packed.length, plain.length)
                : Lzo1xDecompressor.decompress(packed, 0, packed.length, plain.length);
        if (!back.isOk() || !Arrays.equals(plain, back.value())) {
            throw new AssertionError("data compressed by the system library does not come back: "
                    + (back.isOk() ? back.value().length + " bytes" : back.reason()));
        }
    }

    private static void framings(byte[] packet) {
        for (CompressionFraming f : CompressionFraming.values()) {
            Decoded<byte[]> d = f.unframe(packet, 0, packet.length);
            if (d.isOk()) {
                if (d.value().length > Math.max(packet.length, CompressionFraming.MAX_DECOMPRESSED)) {
                    throw new AssertionError(f + " unframed " + d.value().length + " bytes");
                }
            } else if (d.reason() != DropReason.BAD_COMPRESSION) {
                throw new AssertionError(f + " dropped with " + d.reason());
            }
        }
    }

    private static void checkBounded(Decoded<byte[]> d, int max) {
        if (d.isOk() && d.value().length > max) {
            throw new AssertionError("decompressed " + d.value().length + " bytes with a limit of " + max);
        }
        if (!d.isOk() && d.reason() != DropReason.BAD_COMPRESSION) {
            throw new AssertionError("dropped with " + d.reason());
        }
    }
}
