package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The key-method-2 message, the first TLS plaintext in each direction:
 * {@code 00000000 02 [pre_master 48, client only] [random1 32] [random2 32] str options, str username,
 * str password, str peer_info}, where {@code str = u16 length (counting a trailing NUL) || bytes}.
 * {@code preMaster} is null in the server's message. Immutable: arrays are copied in and out.
 */
public record KeyMethod2(byte[] preMaster, byte[] random1, byte[] random2, String options, String username,
                         String password, String peerInfo) {

    public static final int PRE_MASTER_LEN = 48;
    public static final int RANDOM_LEN = 32;
    /** Options string limit including the NUL ({@code TLS_OPTIONS_LEN}). */
    public static final int MAX_OPTIONS = 512;
    /** Username/password limit including the NUL (PKCS#11 builds' {@code USER_PASS_LEN}). */
    public static final int MAX_USER_PASS = 4096;

    private static final int KEY_METHOD_2 = 2;
    private static final int PREFIX = 5;

    public KeyMethod2 {
        if (preMaster != null) {
            preMaster = requireLength(preMaster, PRE_MASTER_LEN, "preMaster");
        }
        random1 = requireLength(random1, RANDOM_LEN, "random1");
        random2 = requireLength(random2, RANDOM_LEN, "random2");
        options = checkString(options, MAX_OPTIONS, "options");
        username = checkString(username, MAX_USER_PASS, "username");
        password = checkString(password, MAX_USER_PASS, "password");
        peerInfo = checkString(peerInfo, 0xFFFF, "peerInfo");
    }

    /** Whether this is the client's message (it alone carries a pre-master secret). */
    public boolean fromClient() {
        return preMaster != null;
    }

    /**
     * Parses the message at {@code off}. Bytes after peer_info are ignored; username, password and
     * peer_info missing at the very end of the buffer are read as empty, as 2.6 does. Never throws on
     * hostile content.
     */
    public static Decoded<KeyMethod2> parse(byte[] plaintext, int off, int len, boolean fromClient) {
        Objects.checkFromIndexSize(off, len, plaintext.length);
        int fixed = PREFIX + (fromClient ? PRE_MASTER_LEN : 0) + 2 * RANDOM_LEN;
        if (len < fixed + 2) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        if (Bytes.u32(plaintext, off) != 0 || (plaintext[off + 4] & 0x0F) != KEY_METHOD_2) {
            return Decoded.drop(DropReason.MALFORMED);
        }
        int p = off + PREFIX;
        byte[] pre = null;
        if (fromClient) {
            pre = Arrays.copyOfRange(plaintext, p, p + PRE_MASTER_LEN);
            p += PRE_MASTER_LEN;
        }
        byte[] r1 = Arrays.copyOfRange(plaintext, p, p + RANDOM_LEN);
        byte[] r2 = Arrays.copyOfRange(plaintext, p + RANDOM_LEN, p + 2 * RANDOM_LEN);
        p += 2 * RANDOM_LEN;
        int end = off + len;
        int[] limits = {MAX_OPTIONS, MAX_USER_PASS, MAX_USER_PASS, 0xFFFF};
        String[] strings = {"", "", "", ""};
        for (int i = 0; i < 4; i++) {
            if (i > 0 && p == end) {
                break;
            }
            if (end - p < 2) {
                return Decoded.drop(DropReason.TRUNCATED);
            }
            int n = Bytes.u16(plaintext, p);
            p += 2;
            if (n > limits[i]) {
                return Decoded.drop(DropReason.MALFORMED);
            }
            if (end - p < n) {
                return Decoded.drop(DropReason.TRUNCATED);
            }
            strings[i] = readCString(plaintext, p, n);
            p += n;
            if (strings[i].getBytes(StandardCharsets.UTF_8).length >= limits[i]) {
                return Decoded.drop(DropReason.MALFORMED); // invalid UTF-8 grew on decoding
            }
        }
        return Decoded.ok(new KeyMethod2(pre, r1, r2, strings[0], strings[1], strings[2], strings[3]));
    }

    /**
     * Length of the complete message at the start of a plaintext stream (with all four strings), or 0
     * if more bytes are needed, or -1 if it can never parse. Lets a caller separate this message from
     * control messages that follow in the same read.
     */
    public static int frameLength(byte[] b, int off, int len, boolean fromClient) {
        Objects.checkFromIndexSize(off, len, b.length);
        int p = PREFIX + (fromClient ? PRE_MASTER_LEN : 0) + 2 * RANDOM_LEN;
        if (len >= PREFIX && (Bytes.u32(b, off) != 0 || (b[off + 4] & 0x0F) != KEY_METHOD_2)) {
            return -1;
        }
        int[] limits = {MAX_OPTIONS, MAX_USER_PASS, MAX_USER_PASS, 0xFFFF};
        for (int limit : limits) {
            if (len - p < 2) {
                return 0;
            }
            int n = Bytes.u16(b, off + p);
            if (n > limit) {
                return -1;
            }
            p += 2 + n;
        }
        return p <= len ? p : 0;
    }

    public byte[] toBytes() {
        var out = new ByteArrayOutputStream(256);
        out.writeBytes(new byte[] {0, 0, 0, 0, KEY_METHOD_2});
        if (preMaster != null) {
            out.writeBytes(preMaster);
        }
        out.writeBytes(random1);
        out.writeBytes(random2);
        for (String s : new String[] {options, username, password, peerInfo}) {
            writeString(out, s);
        }
        return out.toByteArray();
    }

    public int encodedLength() {
        return toBytes().length;
    }

    @Override
    public byte[] preMaster() {
        return preMaster == null ? null : preMaster.clone();
    }

    @Override
    public byte[] random1() {
        return random1.clone();
    }

    @Override
    public byte[] random2() {
        return random2.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyMethod2 k && Arrays.equals(preMaster, k.preMaster) && Arrays.equals(random1, k.random1)
                && Arrays.equals(random2, k.random2) && options.equals(k.options) && username.equals(k.username)
                && password.equals(k.password) && peerInfo.equals(k.peerInfo);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(options, username, password, peerInfo);
        return 31 * (31 * (31 * h + Arrays.hashCode(preMaster)) + Arrays.hashCode(random1)) + Arrays.hashCode(random2);
    }

    /** Redacts key material and the password. */
    @Override
    public String toString() {
        return "KeyMethod2[" + (fromClient() ? "client" : "server") + ", options=" + options + ", username="
                + username + ", password=" + (password.isEmpty() ? "" : "<redacted>") + ", peerInfo="
                + peerInfo.replace("\n", "\\n") + "]";
    }

    /** C-string semantics of 2.6: the last byte is forced to NUL, and the string ends at the first NUL. */
    private static String readCString(byte[] b, int p, int n) {
        int stop = p;
        while (stop < p + n - 1 && b[stop] != 0) {
            stop++;
        }
        return new String(b, p, stop - p, StandardCharsets.UTF_8);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            out.writeBytes(new byte[2]);
            return;
        }
        out.write((bytes.length + 1) >>> 8);
        out.write(bytes.length + 1);
        out.writeBytes(bytes);
        out.write(0);
    }

    private static byte[] requireLength(byte[] b, int n, String what) {
        if (b == null || b.length != n) {
            throw new IllegalArgumentException(what + " must be " + n + " bytes");
        }
        return b.clone();
    }

    private static String checkString(String s, int limitWithNul, String what) {
        String v = s == null ? "" : s;
        if (v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains NUL");
        }
        if (!v.isEmpty() && v.getBytes(StandardCharsets.UTF_8).length + 1 > limitWithNul) {
            throw new IllegalArgumentException(what + " too long");
        }
        return v;
    }
}
