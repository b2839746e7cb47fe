package io.culvert.engine.tls;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Decrypts the two encrypted PEM key forms OpenSSL writes: PKCS#8 "ENCRYPTED PRIVATE KEY" and the traditional
 * "Proc-Type: 4,ENCRYPTED" RSA/EC keys. Messages name the key's source, never the passphrase. Stateless and
 * thread-safe.
 */
final class KeyDecryption {
    /** A private BouncyCastle instance: PBES2 and legacy PEM ciphers without registering a global provider. */
    private static final Provider BC = new BouncyCastleProvider();

    private KeyDecryption() {}

    static boolean isEncrypted(Object pemObject) {
        return pemObject instanceof PEMEncryptedKeyPair || pemObject instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    static Provider provider() {
        return BC;
    }

    static PrivateKey decrypt(Object pemObject, String source, PassphraseSource passphrase) throws IOException {
        Optional<char[]> given = passphrase.passphrase(source);
        if (given.isEmpty()) {
            throw new IOException("the private key in " + source + " is encrypted and no passphrase was given"
                    + " (use askpass FILE or answer the prompt)");
        }
        char[] pass = given.get();
        // BouncyCastle decrypts; the key itself is built by the default (JDK) provider, as JSSE expects
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PrivateKeyInfo info;
        try {
            if (pemObject instanceof PEMEncryptedKeyPair pair) {
                PEMKeyPair clear = pair.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pass));
                info = clear.getPrivateKeyInfo();
            } else {
                InputDecryptorProvider dec = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pass);
                info = ((PKCS8EncryptedPrivateKeyInfo) pemObject).decryptPrivateKeyInfo(dec);
            }
        } catch (Exception e) {
            // a wrong passphrase shows up as a padding error or as garbage that does not parse; neither says more
            throw new IOException("cannot decrypt the private key in " + source + ": wrong passphrase", e);
        } finally {
            Arrays.fill(pass, '\0');
        }
        try {
            return converter.getPrivateKey(info);
        } catch (Exception e) {
            throw new IOException("the private key in " + source + " decrypts but cannot be used: " + e.getMessage(), e);
        }
    }
}
