package io.culvert.engine.serveradmin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A passphrase-encrypted archive of named files (ADR 0028): a ZIP of the entries, sealed with AES-256-GCM under a key
 * that PBKDF2-HMAC-SHA256 derives from the passphrase. Layout, all integers big-endian:
 * <pre>
 *   "CULVERT-BACKUP\0"  magic, 15 bytes
 *   u8  version = 1
 *   u8  kdf = 1 (PBKDF2-HMAC-SHA256)
 *   u32 iterations
 *   u8  salt length = 16, salt
 *   u8  nonce length = 12, nonce
 *   ciphertext of the ZIP followed by the 16-byte GCM tag; every header byte above is the GCM associated data
 * </pre>
 * A wrong passphrase and a changed byte anywhere fail the tag alike. Reading is bounded (file size, entry count,
 * unpacked size) and refuses entry names that are not plain relative paths. Stateless and thread-safe.
 */
final class BackupFile {
    /** The most a backup file or its unpacked entries may hold. */
    static final int MAX_BYTES = 64 << 20;
    static final int MAX_ENTRIES = 100_000;
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS = 600_000;
    private static final int MIN_ITERATIONS = 100_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final byte[] MAGIC = "CULVERT-BACKUP\0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int KDF_PBKDF2_SHA256 = 1;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_@+=,-][A-Za-z0-9._@+=,-]{0,127}");

    private BackupFile() {}

    /** Why a backup cannot be read; the message says it in a user's words. */
    static final class BadBackupException extends Exception {
        BadBackupException(String message) {
            super(message);
        }
    }

    /** Seals {@code entries} (relative path to content) under {@code passphrase}. */
    static byte[] seal(Map<String, byte[]> entries, char[] passphrase, SecureRandom random) throws IOException {
        checkPassphrase(passphrase);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                if (!isSafeName(e.getKey())) {
                    throw new IOException("cannot back up a file named '" + e.getKey() + "'");
                }
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        byte[] plain = zip.toByteArray();
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] header = header(ITERATIONS, salt, nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, passphrase, ITERATIONS, salt, nonce, header);
            byte[] sealed = c.doFinal(plain);
            Arrays.fill(plain, (byte) 0);
            return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the backup: " + e.getMessage(), e);
        }
    }

    /** The entries of a backup, in file order; a wrong passphrase or changed file is a {@link BadBackupException}. */
    static Map<String, byte[]> open(byte[] file, char[] passphrase) throws BadBackupException {
        if (file.length > MAX_BYTES) {
            throw new BadBackupException("the file is larger than a Culvert backup can be (" + (MAX_BYTES >> 20) + " MiB)");
        }
        ByteBuffer in = ByteBuffer.wrap(file);
        if (file.length < MAGIC.length + 1 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BadBackupException("this is not a Culvert server backup");
        }
        in.position(MAGIC.length);
        try {
            int version = in.get() & 0xff;
            if (version != VERSION) {
                throw new BadBackupException("this backup has format version " + version
                        + ", which this Culvert cannot read (it reads version " + VERSION + ")");
            }
            int kdf = in.get() & 0xff;
            if (kdf != KDF_PBKDF2_SHA256) {
                throw new BadBackupException("this backup uses key derivation " + kdf + ", which this Culvert does not know");
            }
            int iterations = in.getInt();
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
                throw new BadBackupException("this backup's header is damaged (iteration count " + Integer.toUnsignedString(iterations)
                        + ")");
            }
            byte[] salt = bytes(in, SALT_BYTES);
            byte[] nonce = bytes(in, NONCE_BYTES);
            byte[] header = Arrays.copyOf(file, in.position());
            if (in.remaining() < TAG_BITS / 8) {
                throw new BadBackupException("the backup is cut short");
            }
            byte[] plain;
            try {
                checkPassphrase(passphrase);
                plain = cipher(Cipher.DECRYPT_MODE, passphrase, iterations, salt, nonce, header)
                        .doFinal(file, in.position(), in.remaining());
            } catch (AEADBadTagException e) {
                throw new BadBackupException("the passphrase is wrong, or the backup file was changed or damaged");
            } catch (GeneralSecurityException | IOException e) {
                throw new BadBackupException("cannot decrypt the backup: " + e.getMessage());
            }
            try {
                return unzip(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new BadBackupException("the backup is cut short");
        }
    }

    /** A relative path of plain segments: no absolute path, no "." or "..", nothing a file system would reinterpret. */
    static boolean isSafeName(String name) {
        if (name.isEmpty() || name.length() > 1024) {
            return false;
        }
        for (String seg : name.split("/", -1)) {
            if (!SEGMENT.matcher(seg).matches() || seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, byte[]> unzip(byte[] plain) throws BadBackupException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(plain))) {
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                if (e.isDirectory() || !isSafeName(e.getName())) {
                    throw new BadBackupException("the backup holds an entry with an unsafe name '" + e.getName() + "'");
                }
                if (out.size() >= MAX_ENTRIES) {
                    throw new BadBackupException("the backup holds more than " + MAX_ENTRIES + " files");
                }
                byte[] content = readBounded(zin, MAX_BYTES - total);
                total += content.length;
                if (out.put(e.getName(), content) != null) {
                    throw new BadBackupException("the backup holds '" + e.getName() + "' twice");
                }
            }
        } catch (ZipException e) {
            throw new BadBackupException("the backup's contents are damaged: " + e.getMessage());
        } catch (IOException e) {
            throw new BadBackupException("cannot read the backup: " + e.getMessage());
        }
        return out;
    }

    private static byte[] readBounded(InputStream in, long limit) throws IOException, BadBackupException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n > 0; n = in.read(buf)) {
            if (out.size() + (long) n > limit) {
                throw new BadBackupException("the backup unpacks to more than " + (MAX_BYTES >> 20) + " MiB");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer in, int expected) throws BadBackupException {
        int len = in.get() & 0xff;
        if (len != expected) {
            throw new BadBackupException("this backup's header is damaged (a field of " + len + " bytes where "
                    + expected + " belong)");
        }
        byte[] b = new byte[len];
        in.get(b);
        return b;
    }

    private static byte[] header(int iterations, byte[] salt, byte[] nonce) {
        return ByteBuffer.allocate(MAGIC.length + 2 + 4 + 1 + salt.length + 1 + nonce.length)
                .put(MAGIC).put((byte) VERSION).put((byte) KDF_PBKDF2_SHA256).putInt(iterations)
                .put((byte) salt.length).put(salt).put((byte) nonce.length).put(nonce).array();
    }

    private static Cipher cipher(int mode, char[] passphrase, int iterations, byte[] salt, byte[] nonce, byte[] aad)
            throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        spec.clearPassword();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static void checkPassphrase(char[] passphrase) throws IOException {
        if (passphrase == null || passphrase.length == 0) {
            throw new IOException("a backup needs a passphrase");
        }
    }
}
