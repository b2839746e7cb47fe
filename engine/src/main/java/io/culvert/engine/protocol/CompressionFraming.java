package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The compression framing inside every decrypted data-channel payload (pings and OCC included). Outgoing
 * payloads are never compressed: every mode sends its "not compressed" form, which any 2.6 peer accepts.
 * The stub modes drop compressed payloads; {@link #LZO}, {@link #LZ4} and {@link #LZ4_V2} (only chosen
 * with {@code allow-compression asym|yes}) decompress them, to at most {@link #MAX_DECOMPRESSED} bytes.
 * Empty payloads pass through unchanged in every mode, as in 2.6. Instances of this enum are immutable.
 */
public enum CompressionFraming {
    /** No compression option: the payload is sent as is. */
    NONE,
    /** {@code comp-lzo no}: a 0xFA byte before every payload. */
    LZO_STUB,
    /** {@code compress} (stub) or {@code compress lz4} without compressing: first byte moved to the end, byte 0 = 0xFB. */
    SWAP_STUB,
    /** {@code compress stub-v2}: payloads starting with 0x50 get a {@code 50 00} escape in front. */
    V2_STUB,
    /** {@code comp-lzo yes|adaptive}, {@code compress lzo}: sends 0xFA + payload; accepts 0xFA or 0x66 + LZO1X. */
    LZO,
    /** {@code compress lz4}: sends the 0xFB swap; accepts 0xFB or the 0x69 swap around an LZ4 block. */
    LZ4,
    /** {@code compress lz4-v2}: sends the 0x50 escape; accepts {@code 50 00} escapes or {@code 50 01} + LZ4 block. */
    LZ4_V2;

    /**
     * Bytes this framing may add in front of a payload that does not shrink, as OpenVPN counts them for
     * {@code mssfix}: 1 for the v1 schemes (comp-lzo, compress stub/lz4/lzo), 0 for none and the v2 schemes.
     */
    public int headerBytes() {
        return switch (this) {
            case LZO_STUB, SWAP_STUB, LZO, LZ4 -> 1;
            case NONE, V2_STUB, LZ4_V2 -> 0;
        };
    }

    /** The most bytes a compressed payload may decompress to; beyond it the packet is dropped. */
    public static final int MAX_DECOMPRESSED = 65535;

    static final byte LZO_UNCOMPRESSED = (byte) 0xFA;
    static final byte LZO_COMPRESSED = 0x66;
    static final byte SWAP_UNCOMPRESSED = (byte) 0xFB;
    static final byte LZ4_COMPRESSED = 0x69;
    static final byte V2_INDICATOR = 0x50;
    static final byte V2_UNCOMPRESSED = 0x00;
    static final byte V2_LZ4 = 0x01;

    /** Peer-info lines a stub-only 2.6 client sends (each ends in a newline). */
    public static final String STUB_PEER_INFO = "IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n";

    /** Peer-info lines a 2.6 client with allow-compression asym/yes sends (LZO and LZ4 available). */
    public static final String FULL_PEER_INFO = "IV_LZ4=1\nIV_LZ4v2=1\nIV_LZO=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n";

    /** Frames an outgoing payload. */
    public byte[] frame(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (len == 0 || this == NONE) {
            return Arrays.copyOfRange(in, off, off + len);
        }
        return switch (this) {
            case LZO_STUB, LZO -> prefix(new byte[] {LZO_UNCOMPRESSED}, in, off, len);
            case SWAP_STUB, LZ4 -> {
                byte[] out = new byte[len + 1];
                out[0] = SWAP_UNCOMPRESSED;
                System.arraycopy(in, off + 1, out, 1, len - 1);
                out[len] = in[off];
                yield out;
            }
            case V2_STUB, LZ4_V2 -> in[off] == V2_INDICATOR
                    ? prefix(new byte[] {V2_INDICATOR, V2_UNCOMPRESSED}, in, off, len)
                    : Arrays.copyOfRange(in, off, off + len);
            case NONE -> throw new AssertionError();
        };
    }

    /**
     * Frames {@code buf[off, off + len)} in place, writing at most 2 bytes before it and 1 after it, and points
     * {@code framed} at the result. Allocates nothing.
     */
    public void frameInPlace(byte[] buf, int off, int len, Span framed) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0 || this == NONE) {
            framed.set(buf, off, len);
            return;
        }
        switch (this) {
            case LZO_STUB, LZO -> {
                buf[off - 1] = LZO_UNCOMPRESSED;
                framed.set(buf, off - 1, len + 1);
            }
            case SWAP_STUB, LZ4 -> {
                buf[off + len] = buf[off];
                buf[off] = SWAP_UNCOMPRESSED;
                framed.set(buf, off, len + 1);
            }
            case V2_STUB, LZ4_V2 -> {
                if (buf[off] == V2_INDICATOR) {
                    buf[off - 2] = V2_INDICATOR;
                    buf[off - 1] = V2_UNCOMPRESSED;
                    framed.set(buf, off - 2, len + 2);
                } else {
                    framed.set(buf, off, len);
                }
            }
            case NONE -> throw new AssertionError();
        }
    }

    /**
     * Removes the framing from {@code buf[off, off + len)} in place and points {@code payload} at the result; a
     * compressed payload is decompressed into a new array. Returns null, or BAD_COMPRESSION (or the decompressor's
     * reason) for compressed or unknown framing bytes. Allocates nothing for uncompressed payloads.
     */
    public DropReason unframeInPlace(byte[] buf, int off, int len, Span payload) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0 || this == NONE) {
            payload.set(buf, off, len);
            return null;
        }
        byte b0 = buf[off];
        switch (this) {
            case LZO_STUB, LZO -> {
                if (b0 == LZO_UNCOMPRESSED) {
                    payload.set(buf, off + 1, len - 1);
                    return null;
                }
                return this == LZO && b0 == LZO_COMPRESSED
                        ? decompressed(Lzo1xDecompressor.decompress(buf, off + 1, len - 1, MAX_DECOMPRESSED), payload)
                        : DropReason.BAD_COMPRESSION;
            }
            case SWAP_STUB, LZ4 -> {
                boolean lz4 = this == LZ4 && b0 == LZ4_COMPRESSED;
                if (b0 != SWAP_UNCOMPRESSED && !lz4) {
                    return DropReason.BAD_COMPRESSION;
                }
                buf[off] = buf[off + len - 1];
                if (lz4) {
                    return decompressed(Lz4BlockDecompressor.decompress(buf, off, len - 1, MAX_DECOMPRESSED), payload);
                }
                payload.set(buf, off, len - 1);
                return null;
            }
            case V2_STUB, LZ4_V2 -> {
                if (b0 != V2_INDICATOR) {
                    payload.set(buf, off, len);
                    return null;
                }
                if (len >= 2 && buf[off + 1] == V2_UNCOMPRESSED) {
                    payload.set(buf, off + 2, len - 2);
                    return null;
                }
                if (this == LZ4_V2 && len >= 2 && buf[off + 1] == V2_LZ4) {
                    return decompressed(Lz4BlockDecompressor.decompress(buf, off + 2, len - 2, MAX_DECOMPRESSED), payload);
                }
                return DropReason.BAD_COMPRESSION;
            }
            case NONE -> throw new AssertionError();
        }
        throw new AssertionError();
    }

    private static DropReason decompressed(Decoded<byte[]> d, Span payload) {
        if (!d.isOk()) {
            return d.reason();
        }
        payload.set(d.value(), 0, d.value().length);
        return null;
    }

    /** Removes the framing from an incoming payload; BAD_COMPRESSION for compressed or unknown framing bytes. */
    public Decoded<byte[]> unframe(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (len == 0 || this == NONE) {
            return Decoded.ok(Arrays.copyOfRange(in, off, off + len));
        }
        byte b0 = in[off];
        return switch (this) {
            case LZO_STUB, LZO -> b0 == LZO_UNCOMPRESSED
                    ? Decoded.ok(Arrays.copyOfRange(in, off + 1, off + len))
                    : this == LZO && b0 == LZO_COMPRESSED
                    ? Lzo1xDecompressor.decompress(in, off + 1, len - 1, MAX_DECOMPRESSED)
                    : Decoded.drop(DropReason.BAD_COMPRESSION);
            case SWAP_STUB, LZ4 -> {
                boolean lz4 = this == LZ4 && b0 == LZ4_COMPRESSED;
                if (b0 != SWAP_UNCOMPRESSED && !lz4) {
                    yield Decoded.drop(DropReason.BAD_COMPRESSION);
                }
                byte[] out = new byte[len - 1];
                if (out.length > 0) {
                    out[0] = in[off + len - 1];
                    System.arraycopy(in, off + 1, out, 1, len - 2);
                }
                yield lz4 ? Lz4BlockDecompressor.decompress(out, 0, out.length, MAX_DECOMPRESSED) : Decoded.ok(out);
            }
            case V2_STUB, LZ4_V2 -> {
                if (b0 != V2_INDICATOR) {
                    yield Decoded.ok(Arrays.copyOfRange(in, off, off + len));
                }
                if (len >= 2 && in[off + 1] == V2_UNCOMPRESSED) {
                    yield Decoded.ok(Arrays.copyOfRange(in, off + 2, off + len));
                }
                if (this == LZ4_V2 && len >= 2 && in[off + 1] == V2_LZ4) {
                    yield Lz4BlockDecompressor.decompress(in, off + 2, len - 2, MAX_DECOMPRESSED);
                }
                yield Decoded.drop(DropReason.BAD_COMPRESSION);
            }
            case NONE -> throw new AssertionError();
        };
    }

    /** Whether a pushed or configured option is a compression option ({@code comp-lzo} or {@code compress}). */
    public static boolean isCompressionOption(List<String> words) {
        return !words.isEmpty() && (words.getFirst().equals("comp-lzo") || words.getFirst().equals("compress"));
    }

    /** Whether this mode decompresses what the peer sends (only chosen with allow-compression asym/yes). */
    public boolean decompresses() {
        return this == LZO || this == LZ4 || this == LZ4_V2;
    }

    /**
     * The framing a 2.6 client with {@code allow} accepts for a pushed (or a server for its configured)
     * compression option, or empty if it must be refused. With {@link AllowCompression#NO} this is
     * {@link #fromPushed(List)}; otherwise {@code comp-lzo [yes|adaptive]}, {@code compress lzo|lz4|lz4-v2}
     * are accepted too.
     */
    public static Optional<CompressionFraming> fromPushed(List<String> words, AllowCompression allow) {
        Optional<CompressionFraming> stub = fromPushed(words);
        if (stub.isPresent() || allow == AllowCompression.NO || words.isEmpty() || words.size() > 2) {
            return stub;
        }
        String arg = words.size() == 2 ? words.get(1) : null;
        return switch (words.getFirst()) {
            case "comp-lzo" -> arg == null || arg.equals("yes") || arg.equals("adaptive")
                    ? Optional.of(LZO) : Optional.empty();
            case "compress" -> arg == null ? Optional.empty() : switch (arg) {
                case "lzo" -> Optional.of(LZO);
                case "lz4" -> Optional.of(LZ4);
                case "lz4-v2" -> Optional.of(LZ4_V2);
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
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
