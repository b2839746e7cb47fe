package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedKeyTest {
    private static final String PASS = "correct horse";
    private static KeyPair rsa;
    private static KeyPair ec;

    @BeforeAll
    static void keys() throws Exception {
        rsa = TestKeys.rsa();
        ec = TestKeys.ec();
    }

    private static PassphraseSource answering(String pass, List<String> asked) {
        return source -> {
            asked.add(source);
            return Optional.of(pass.toCharArray());
        };
    }

    @Test
    void decryptsPkcs8EncryptedRsaKey() throws Exception {
        String pem = TestKeys.pkcs8Encrypted(rsa.getPrivate(), PASS);
        assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem);
        List<String> asked = new ArrayList<>();
        PrivateKey k = PemReader.privateKey(pem, "client.key", answering(PASS, asked));
        assertArrayEquals(rsa.getPrivate().getEncoded(), k.getEncoded());
        assertEquals(List.of("client.key"), asked);
    }

    @Test
    void decryptsPkcs8EncryptedEcKey() throws Exception {
        PrivateKey k = PemReader.privateKey(TestKeys.pkcs8Encrypted(ec.getPrivate(), PASS), "ec.key",
                answering(PASS, new ArrayList<>()));
        assertEquals("EC", k.getAlgorithm());
        assertArrayEquals(ec.getPublic().getEncoded(), publicOf(k, ec));
    }

    @Test
    void decryptsTraditionalEncryptedRsaKey() throws Exception {
        String pem = TestKeys.traditionalEncrypted(rsa.getPrivate(), PASS, "AES-256-CBC");
        assertTrue(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,"), pem);
        PrivateKey k = PemReader.privateKey(pem, "client.key", answering(PASS, new ArrayList<>()));
        assertArrayEquals(rsa.getPrivate().getEncoded(), k.getEncoded());
    }

    @Test
    void decryptsTraditionalTripleDesEcKey() throws Exception {
        String pem = TestKeys.traditionalEncrypted(ec.getPrivate(), PASS, "DES-EDE3-CBC");
        assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,"), pem);
        PrivateKey k = PemReader.privateKey(pem, "ec.key", answering(PASS, new ArrayList<>()));
        assertEquals("EC", k.getAlgorithm());
        assertArrayEquals(ec.getPublic().getEncoded(), publicOf(k, ec));
    }

    @Test
    void wrongPassphraseNamesTheFileAndNotThePassphrase() throws Exception {
        for (String pem : List.of(TestKeys.pkcs8Encrypted(rsa.getPrivate(), PASS),
                TestKeys.traditionalEncrypted(rsa.getPrivate(), PASS, "AES-128-CBC"))) {
            IOException e = assertThrows(IOException.class,
                    () -> PemReader.privateKey(pem, "client.key", answering("hunter2-wrong", new ArrayList<>())));
            assertEquals("cannot decrypt the private key in client.key: wrong passphrase", e.getMessage());
            assertFalse(stackText(e).contains("hunter2-wrong"));
        }
    }

    @Test
    void encryptedKeyWithoutPassphraseSaysSo() throws Exception {
        IOException e = assertThrows(IOException.class, () -> PemReader.privateKey(
                TestKeys.pkcs8Encrypted(rsa.getPrivate(), PASS), "inline <key>", PassphraseSource.none()));
        assertTrue(e.getMessage().startsWith("the private key in inline <key> is encrypted and no passphrase was given"),
                e.getMessage());
        assertThrows(IOException.class, () -> PemReader.privateKey(TestKeys.pkcs8Encrypted(rsa.getPrivate(), PASS)));
    }

    @Test
    void plainKeyNeverAsksForAPassphrase() throws Exception {
        PrivateKey k = PemReader.privateKey(TestKeys.pem(rsa.getPrivate()), "client.key", source -> {
            throw new AssertionError("asked for " + source);
        });
        assertArrayEquals(rsa.getPrivate().getEncoded(), k.getEncoded());
    }

    @Test
    void askpassFileGivesItsFirstLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pass.txt");
        Files.writeString(f, PASS + "\nsecond line ignored\n");
        PrivateKey k = PemReader.privateKey(TestKeys.pkcs8Encrypted(ec.getPrivate(), PASS), "client.key",
                PassphraseSource.firstLineOf(f));
        assertEquals("EC", k.getAlgorithm());
        Files.writeString(f, "");
        IOException e = assertThrows(IOException.class, () -> PassphraseSource.firstLineOf(f).passphrase("k"));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> PassphraseSource.firstLineOf(dir.resolve("nope")).passphrase("k"));
        assertTrue(missing.getMessage().startsWith("cannot read the askpass file"), missing.getMessage());
    }

    @Test
    void askpassDevZeroIsReadWithALimitNotUntilMemoryRunsOut() {
        IOException e = assertThrows(IOException.class, () -> PassphraseSource.firstLineOf(Path.of("/dev/zero")).passphrase("k"));
        assertTrue(e.getMessage().contains("no line end in its first 4096 bytes"), e.getMessage());
    }

    /** The public key matching {@code k}, via a signature check against {@code pair}'s public key. */
    private static byte[] publicOf(PrivateKey k, KeyPair pair) throws Exception {
        var s = java.security.Signature.getInstance("SHA256withECDSA");
        s.initSign(k);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(pair.getPublic());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig), "decrypted key does not match the generated one");
        return pair.getPublic().getEncoded();
    }

    private static String stackText(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }
}
