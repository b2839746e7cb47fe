package io.culvert.engine.store;

import io.culvert.engine.common.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals opted-in passwords with AES-256-GCM under a random 32-byte key kept in a 0600 key file next to
 * the database (created on first use). The associated data binds each sealed value to its profile id.
 * Thread-safe.
 */
final class PasswordSealer {
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();

    PasswordSealer(Path keyFile) {
        this.keyFile = keyFile;
    }

    /** Nonce and ciphertext+tag of {@code password}. */
    record Sealed(byte[] nonce, byte[] ciphertext) {}

    Sealed seal(long profileId, String password) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] key = loadOrCreateKey();
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce, profileId);
            return new Sealed(nonce, c.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, "cannot seal the password", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    String open(long profileId, Sealed sealed) {
        byte[] key = readKey();
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, sealed.nonce(), profileId);
            return new String(c.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED,
                    "the saved password cannot be decrypted (wrong or replaced key file " + keyFile + ")", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, long profileId) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(ByteBuffer.allocate(8 + 8).put("culvert1".getBytes(StandardCharsets.US_ASCII)).putLong(profileId).array());
        return c;
    }

    private synchronized byte[] loadOrCreateKey() {
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            try {
                Files.write(Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PrivateFiles.PRIVATE)), key,
                        StandardOpenOption.WRITE);
                PrivateFiles.narrow(keyFile);
                return key;
            } catch (FileAlreadyExistsException raced) {
                Arrays.fill(key, (byte) 0);
            } catch (IOException e) {
                throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, "cannot create " + keyFile, e);
            }
        }
        return readKey();
    }

    private byte[] readKey() {
        try {
            byte[] key = Files.readAllBytes(keyFile);
            if (key.length != KEY_BYTES) {
                throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, keyFile + " is not a Culvert key file");
            }
            return key;
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, "cannot read " + keyFile, e);
        }
    }
}
