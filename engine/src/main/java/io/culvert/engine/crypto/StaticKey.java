package io.culvert.engine.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An "OpenVPN Static key V1" (tls-auth, tls-crypt): 256 bytes = keys[0]{cipher 64, hmac 64},
 * keys[1]{cipher 64, hmac 64}. Immutable: the bytes are copied in and out.
 */
public record StaticKey(byte[] bytes) {
    /** Length of a two-key static key in bytes. */
    public static final int LENGTH = 256;
    /** Length of one cipher or hmac slot. */
    public static final int SLOT = 64;

    private static final String HEADER = "-----BEGIN OpenVPN Static key V1-----";
    private static final String FOOTER = "-----END OpenVPN Static key V1-----";
    private static final int HEX_PER_LINE = 32;

    public StaticKey {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("static key has " + bytes.length + " bytes, expected " + LENGTH);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Parses the text of a static key file. Text before the header line and after the footer line is
     * ignored; between them only hex digits and whitespace are allowed.
     */
    public static StaticKey parse(String fileText) {
        Objects.requireNonNull(fileText, "fileText");
        String[] lines = fileText.split("\r?\n|\r", -1);
        int i = 0;
        while (i < lines.length && !lines[i].strip().equals(HEADER)) {
            i++;
        }
        if (i == lines.length) {
            throw new IllegalArgumentException("static key: missing header line '" + HEADER + "'");
        }
        StringBuilder hex = new StringBuilder(2 * LENGTH);
        boolean footer = false;
        for (i++; i < lines.length && !footer; i++) {
            String line = lines[i].strip();
            if (line.startsWith("-")) {
                if (!line.equals(FOOTER)) {
                    throw new IllegalArgumentException("static key: line " + (i + 1) + " is not the footer '" + FOOTER + "'");
                }
                footer = true;
                continue;
            }
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (Character.digit(ch, 16) >= 0) {
                    hex.append(ch);
                } else if (!Character.isWhitespace(ch)) {
                    throw new IllegalArgumentException("static key: invalid character '" + ch + "' at line " + (i + 1)
                            + " column " + (c + 1));
                }
            }
        }
        if (!footer) {
            throw new IllegalArgumentException("static key: missing footer line '" + FOOTER + "'");
        }
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("static key: odd number of hex digits (" + hex.length() + ")");
        }
        if (hex.length() / 2 != LENGTH) {
            throw new IllegalArgumentException("static key has " + hex.length() / 2 + " bytes, expected " + LENGTH);
        }
        return new StaticKey(HexFormat.of().parseHex(hex));
    }

    /** Creates a new random key, as {@code openvpn --genkey secret} does. */
    public static StaticKey generate(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new StaticKey(b);
    }

    /** The file text in the format {@code openvpn --genkey secret} writes. */
    public String toFileText() {
        StringBuilder sb = new StringBuilder(800);
        sb.append("#\n# 2048 bit OpenVPN static key\n#\n").append(HEADER).append('\n');
        String hex = HexFormat.of().formatHex(bytes);
        for (int i = 0; i < hex.length(); i += HEX_PER_LINE) {
            sb.append(hex, i, i + HEX_PER_LINE).append('\n');
        }
        return sb.append(FOOTER).append('\n').toString();
    }

    /** Copy of keys[index].cipher (64 bytes). */
    public byte[] cipherSlot(int index) {
        return Arrays.copyOfRange(bytes, slotOffset(index), slotOffset(index) + SLOT);
    }

    /** Copy of keys[index].hmac (64 bytes). */
    public byte[] hmacSlot(int index) {
        return Arrays.copyOfRange(bytes, slotOffset(index) + SLOT, slotOffset(index) + 2 * SLOT);
    }

    private static int slotOffset(int index) {
        if (index != 0 && index != 1) {
            throw new IllegalArgumentException("key index must be 0 or 1, got " + index);
        }
        return index * 2 * SLOT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StaticKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StaticKey[256 bytes]";
    }
}
