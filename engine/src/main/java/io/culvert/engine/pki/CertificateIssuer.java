package io.culvert.engine.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds X.509 v3 certificates the way OpenVPN deployments expect them (the easy-rsa profiles): a CA with
 * basicConstraints CA:TRUE and keyCertSign/cRLSign, servers with EKU serverAuth, clients with EKU clientAuth;
 * every certificate carries subject and authority key identifiers. Stateless and thread-safe.
 */
public final class CertificateIssuer {
    private CertificateIssuer() {}

    /** A self-signed CA certificate with subject {@code CN=commonName}. */
    public static X509Certificate selfSignedCa(String commonName, PublicKey publicKey, PrivateKey privateKey,
            BigInteger serial, Instant notBefore, Instant notAfter) {
        X500Name name = name(commonName);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial, Date.from(notBefore),
                    Date.from(notAfter), name, publicKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(publicKey));
            return sign(b, privateKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /** A server or client certificate for {@code subjectKey}, signed by the CA. */
    public static X509Certificate leaf(X509Certificate ca, PrivateKey caKey, String commonName, CertKind kind,
            PublicKey subjectKey, BigInteger serial, Instant notBefore, Instant notAfter) {
        if (kind == CertKind.CA) {
            throw new IllegalArgumentException("use selfSignedCa for the CA");
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial, Date.from(notBefore),
                    Date.from(notAfter), name(commonName), subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(kind, subjectKey)));
            KeyPurposeId purpose = kind == CertKind.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            return sign(b, caKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the certificate for " + commonName, e);
        }
    }

    /**
     * digitalSignature always (ECDHE handshakes sign with it); servers add keyEncipherment for RSA keys
     * (RSA key transport) or keyAgreement for EC keys (static ECDH), as OpenSSL-based peers accept either.
     */
    static int keyUsage(CertKind kind, PublicKey key) {
        if (kind == CertKind.SERVER) {
            return KeyUsage.digitalSignature | ("EC".equals(key.getAlgorithm()) ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment);
        }
        return KeyUsage.digitalSignature;
    }

    /** A positive, non-zero 127-bit random serial, as easy-rsa 3 makes them. */
    public static BigInteger randomSerial(SecureRandom random) {
        BigInteger s;
        do {
            s = new BigInteger(127, random);
        } while (s.signum() == 0);
        return s;
    }

    static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    static ContentSigner signer(PrivateKey key) {
        String alg = "EC".equals(key.getAlgorithm()) ? KeyAlgorithm.EC_P256.signatureAlgorithm()
                : KeyAlgorithm.RSA_2048.signatureAlgorithm();
        try {
            return new JcaContentSignerBuilder(alg).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
    }
}
