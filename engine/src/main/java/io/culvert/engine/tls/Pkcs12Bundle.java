package io.culvert.engine.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * The contents of a PKCS#12 file as OpenVPN's {@code pkcs12} uses them: the key entry's private key and its own
 * certificate, and every other certificate in the file. Like OpenVPN, an empty password is tried first and the
 * passphrase is asked only when that fails. Immutable.
 *
 * @param key the private key
 * @param cert the certificate of {@code key}
 * @param others the other certificates (chain and CAs), in file order
 */
public record Pkcs12Bundle(PrivateKey key, X509Certificate cert, List<X509Certificate> others) {
    public Pkcs12Bundle {
        others = List.copyOf(others);
    }

    /** Reads {@code data}; {@code source} names the file in messages and prompts. */
    public static Pkcs12Bundle read(byte[] data, String source, PassphraseSource passphrase) throws IOException {
        checkLengths(data, source);
        Optional<Pkcs12Bundle> open = tryRead(data, source, new char[0]);
        if (open.isPresent()) {
            return open.get();
        }
        Optional<char[]> given = passphrase.passphrase(source);
        if (given.isEmpty()) {
            throw new IOException("the PKCS#12 file " + source + " is password protected and no passphrase was given"
                    + " (use askpass FILE or answer the prompt)");
        }
        char[] pass = given.get();
        try {
            return tryRead(data, source, pass).orElseThrow(
                    () -> new IOException("cannot decrypt the PKCS#12 file " + source + ": wrong passphrase"));
        } finally {
            Arrays.fill(pass, '\0');
        }
    }

    /** The bundle, or empty when {@code pass} is not its password. */
    private static Optional<Pkcs12Bundle> tryRead(byte[] data, String source, char[] pass) throws IOException {
        IOException firstFailure = null;
        // The JDK keystore drops plain (unshrouded) key bags that OpenSSL can write; BouncyCastle reads those.
        for (String provider : List.of("SUN", "BC")) {
            try {
                KeyStore ks = provider.equals("SUN") ? KeyStore.getInstance("PKCS12")
                        : KeyStore.getInstance("PKCS12", KeyDecryption.provider());
                ks.load(new ByteArrayInputStream(data), pass);
                Optional<Pkcs12Bundle> b = bundle(ks, pass);
                if (b.isPresent()) {
                    return b;
                }
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException || isWrongPassword(e)) {
                    return Optional.empty();
                }
                firstFailure = firstFailure != null ? firstFailure : e;
            } catch (UnrecoverableKeyException e) {
                return Optional.empty();
            } catch (GeneralSecurityException | RuntimeException e) {
                firstFailure = firstFailure != null ? firstFailure : new IOException(e.getMessage(), e);
            }
        }
        if (firstFailure != null) {
            throw new IOException("cannot read the PKCS#12 file " + source + ": " + firstFailure.getMessage(), firstFailure);
        }
        throw new IOException("the PKCS#12 file " + source + " holds no private key with a certificate");
    }

    /**
     * Refuses data that is not one ASN.1 object whose every length fits in the data, before a keystore reads it:
     * BouncyCastle's PKCS#12 loader allocates whatever a length claims (a 12-byte file claiming 757 MB made it
     * throw OutOfMemoryError). Parsing from the byte array bounds every length by the array's size.
     */
    private static void checkLengths(byte[] data, String source) throws IOException {
        try {
            ASN1Primitive.fromByteArray(data);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the PKCS#12 file " + source + ": not a well-formed ASN.1 structure ("
                    + e.getMessage() + ")", e);
        }
    }

    private static boolean isWrongPassword(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("password") || m.contains("mac invalid");
    }

    private static Optional<Pkcs12Bundle> bundle(KeyStore ks, char[] pass) throws GeneralSecurityException {
        PrivateKey key = null;
        X509Certificate cert = null;
        List<X509Certificate> others = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            if (key == null && ks.isKeyEntry(alias)) {
                Key k = ks.getKey(alias, pass);
                Certificate[] chain = ks.getCertificateChain(alias);
                if (k instanceof PrivateKey pk && chain != null && chain.length > 0) {
                    key = pk;
                    cert = (X509Certificate) chain[0];
                    for (int i = 1; i < chain.length; i++) {
                        addOnce(others, chain[i]);
                    }
                }
            } else if (ks.isCertificateEntry(alias)) {
                addOnce(others, ks.getCertificate(alias));
            }
        }
        if (key == null) {
            return Optional.empty();
        }
        X509Certificate own = cert;
        others.removeIf(c -> c.equals(own));
        return Optional.of(new Pkcs12Bundle(key, cert, others));
    }

    private static void addOnce(List<X509Certificate> list, Certificate c) {
        if (c instanceof X509Certificate x && !list.contains(x)) {
            list.add(x);
        }
    }

    @Override
    public String toString() {
        return "Pkcs12Bundle[" + cert.getSubjectX500Principal() + ", others=" + others.size() + "]";
    }
}
