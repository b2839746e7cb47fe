package io.culvert.engine.protocol;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import java.util.Arrays;

/**
 * The system's real liblzo2 and liblz4 (the ones openvpn links), through JNA: to make test vectors, and as the
 * reference the decompressor fuzz target ({@link DecompressFuzz}) compares against. Thread-safe.
 */
final class NativeCompressors {
    /** The liblzo2 entry points the vectors and the fuzz target need. */
    interface Lzo extends Library {
        int lzo1x_1_compress(byte[] src, NativeLong srcLen, byte[] dst, NativeLongByReference dstLen, Pointer wrkmem);

        int lzo1x_decompress_safe(byte[] src, NativeLong srcLen, byte[] dst, NativeLongByReference dstLen, Pointer wrkmem);
    }

    /** The liblz4 entry point OpenVPN 2.6 compresses with. */
    interface Lz4 extends Library {
        int LZ4_compress_default(byte[] src, byte[] dst, int srcSize, int dstCapacity);

        int LZ4_decompress_safe(byte[] src, byte[] dst, int compressedSize, int dstCapacity);
    }

    private static final Lzo LZO = Native.load("/usr/lib/x86_64-linux-gnu/liblzo2.so.2", Lzo.class);
    private static final Lz4 LZ4 = Native.load("/usr/lib/x86_64-linux-gnu/liblz4.so.1", Lz4.class);
    /** LZO1X_1_MEM_COMPRESS is 16384 dictionary pointers; twice that for margin. */
    private static final Memory WORK = new Memory(16384L * 8 * 2);

    private NativeCompressors() {}

    static synchronized byte[] lzo1x1(byte[] in) {
        byte[] out = new byte[in.length + in.length / 16 + 64 + 3];
        NativeLongByReference outLen = new NativeLongByReference(new NativeLong(out.length));
        int rc = LZO.lzo1x_1_compress(in, new NativeLong(in.length), out, outLen, WORK);
        if (rc != 0) {
            throw new IllegalStateException("lzo1x_1_compress returned " + rc);
        }
        return Arrays.copyOf(out, (int) outLen.getValue().longValue());
    }

    static byte[] lz4(byte[] in) {
        byte[] out = new byte[in.length + in.length / 255 + 16];
        int n = LZ4.LZ4_compress_default(in, out, in.length, out.length);
        if (n <= 0) {
            throw new IllegalStateException("LZ4_compress_default returned " + n);
        }
        return Arrays.copyOf(out, n);
    }

    /** What {@code lzo1x_decompress_safe} makes of {@code in} with room for {@code max} bytes, or null if it fails. */
    static byte[] unlzo(byte[] in, int max) {
        byte[] out = new byte[max];
        NativeLongByReference outLen = new NativeLongByReference(new NativeLong(max));
        int rc = LZO.lzo1x_decompress_safe(in, new NativeLong(in.length), out, outLen, null);
        return rc == 0 ? Arrays.copyOf(out, (int) outLen.getValue().longValue()) : null;
    }

    /** What {@code LZ4_decompress_safe} makes of {@code in} with room for {@code max} bytes, or null if it fails. */
    static byte[] unlz4(byte[] in, int max) {
        byte[] out = new byte[max];
        int n = LZ4.LZ4_decompress_safe(in, out, in.length, max);
        return n >= 0 ? Arrays.copyOf(out, n) : null;
    }
}
