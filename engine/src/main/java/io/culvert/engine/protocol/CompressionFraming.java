package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The compression framing inside every decrypted data-channel payload (pings and OCC included). Only
 * the stub framings are supported; compressed payloads are dropped, never decompressed. Empty payloads
 * pass through unchanged in every mode, as in 2.6. Instances of this enum are immutable.
 */
public enum CompressionFraming {
    /** No compression option: the payload is sent as is. */
    NONE,
    /** {@code comp-lzo no}: a 0xFA byte before every payload. */
    LZO_STUB,
    /** {@code compress} (stub) or {@code compress lz4} without compressing: first byte moved to the end, byte 0 = 0xFB. */
    SWAP_STUB,
    /** {@code compress stub-v2}: payloads starting with 0x50 get a {@code 50 00} escape in front. */
    V2_STUB;

    static final byte LZO_UNCOMPRESSED = (byte) 0xFA;
    static final byte LZO_COMPRESSED = 0x66;
    static final byte SWAP_UNCOMPRESSED = (byte) 0xFB;
    static final byte LZ4_COMPRESSED = 0x69;
    static final byte V2_INDICATOR = 0x50;
    static final byte V2_UNCOMPRESSED = 0x00;

    /** Peer-info lines a stub-only 2.6 client sends (each ends in a newline). */
    public static final String STUB_PEER_INFO = "IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n";

    /** Frames an outgoing payload. */
    public byte[] frame(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (len == 0 || this == NONE) {
            return Arrays.copyOfRange(in, off, off + len);
        }
        return switch (this) {
            case LZO_STUB -> prefix(new byte[] {LZO_UNCOMPRESSED}, in, off, len);
            case SWAP_STUB -> {
                byte[] out = new byte[len + 1];
                out[0] = SWAP_UNCOMPRESSED;
                System.arraycopy(in, off + 1, out, 1, len - 1);
                out[len] = in[off];
                yield out;
            }
            case V2_STUB -> in[off] == V2_INDICATOR
                    ? prefix(new byte[] {V2_INDICATOR, V2_UNCOMPRESSED}, in, off, len)
                    : Arrays.copyOfRange(in, off, off + len);
            case NONE -> throw new AssertionError();
        };
    }

    /** Removes the framing from an incoming payload; BAD_COMPRESSION for compressed or unknown framing bytes. */
    public Decoded<byte[]> unframe(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (len == 0 || this == NONE) {
            return Decoded.ok(Arrays.copyOfRange(in, off, off + len));
        }
        byte b0 = in[off];
        return switch (this) {
            case LZO_STUB -> b0 == LZO_UNCOMPRESSED
                    ? Decoded.ok(Arrays.copyOfRange(in, off + 1, off + len))
                    : Decoded.drop(DropReason.BAD_COMPRESSION);
            case SWAP_STUB -> {
                if (b0 != SWAP_UNCOMPRESSED) {
                    yield Decoded.drop(DropReason.BAD_COMPRESSION);
                }
                byte[] out = new byte[len - 1];
                if (out.length > 0) {
                    out[0] = in[off + len - 1];
                    System.arraycopy(in, off + 1, out, 1, len - 2);
                }
                yield Decoded.ok(out);
            }
            case V2_STUB -> {
                if (b0 != V2_INDICATOR) {
                    yield Decoded.ok(Arrays.copyOfRange(in, off, off + len));
                }
                if (len < 2 || in[off + 1] != V2_UNCOMPRESSED) {
                    yield Decoded.drop(DropReason.BAD_COMPRESSION);
                }
                yield Decoded.ok(Arrays.copyOfRange(in, off + 2, off + len));
            }
            case NONE -> throw new AssertionError();
        };
    }

    /** Whether a pushed or configured option is a compression option ({@code comp-lzo} or {@code compress}). */
    public static boolean isCompressionOption(List<String> words) {
        return !words.isEmpty() && (words.getFirst().equals("comp-lzo") || words.getFirst().equals("compress"));
    }

    /**
     * The framing a 2.6 client with the default {@code allow-compression no} accepts for a pushed
     * compression option, or empty if the option asks for real compression (or is not a compression
     * option) and must be refused.
     */
    public static Optional<CompressionFraming> fromPushed(List<String> words) {
        if (words.isEmpty() || words.size() > 2) {
            return Optional.empty();
        }
        String arg = words.size() == 2 ? words.get(1) : null;
        return switch (words.getFirst()) {
            case "comp-lzo" -> "no".equals(arg) ? Optional.of(LZO_STUB) : Optional.empty();
            case "compress" -> arg == null || arg.equals("stub") ? Optional.of(SWAP_STUB)
                    : arg.equals("stub-v2") ? Optional.of(V2_STUB) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static byte[] prefix(byte[] head, byte[] in, int off, int len) {
        byte[] out = new byte[head.length + len];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(in, off, out, head.length, len);
        return out;
    }
}
