package io.culvert.engine.testkit;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one certificate factory of the tests: key pairs, X.509 certificates and PEM text, for every test PKI
 * ({@link PkiMaterial}, viewed in memory by {@link MemoryPki} and written to disk by {@link TestPki};
 * {@code tls.TestKeys} for odd key formats). A certificate is described by a small builder:
 * {@code TestCertificates.signedBy(caName, caKeys).subject("CN=alice", keys).keyUsage(KeyUsage.digitalSignature)
 * .eku(KeyPurposeId.id_kp_clientAuth).issue()}. The signature algorithm follows
 * the issuer's key (SHA256withECDSA or SHA256withRSA). Stateless apart from the builders.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {}

    /** An EC P-256 key pair. */
    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA 2048 key pair. */
    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate signed by {@code issuerKeys} in the name of {@code issuer} (self-signed: the subject's own). */
    public static Builder signedBy(X500Principal issuer, KeyPair issuerKeys) {
        return new Builder(issuer, issuerKeys);
    }

    /** {@code -----BEGIN label-----}, the DER in base64 lines of 64, {@code -----END label-----}, each line ended. */
    public static String pem(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    /**
     * A CRL of {@code issuer} revoking {@code revoked} (key compromise, five minutes ago), issued an hour ago and next
     * updated in 30 days.
     */
    public static X509CRL crl(X500Principal issuer, KeyPair issuerKeys, List<BigInteger> revoked) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer, Date.from(now.minus(Duration.ofHours(1))));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
            for (BigInteger serial : revoked) {
                b.addCRLEntry(serial, Date.from(now.minus(Duration.ofMinutes(5))), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(b.build(signer(issuerKeys)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot write a test CRL for " + issuer, e);
        }
    }

    /** SHA256withECDSA or SHA256withRSA, as the key. */
    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        String alg = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaContentSignerBuilder(alg).build(keys.getPrivate());
    }

    private record Extra(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {}

    /** One certificate being described; {@link #issue()} signs it. Without a call, an extension is left out. */
    public static final class Builder {
        private final X500Principal issuer;
        private final KeyPair issuerKeys;
        private X500Principal subject;
        private KeyPair subjectKeys;
        private BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
        private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        private boolean ca;
        private boolean basicConstraints = true;
        private Integer keyUsage;
        private KeyPurposeId[] eku;
        private final List<Extra> extra = new ArrayList<>();
        private boolean keyIdentifiers;
        private GeneralNames san;

        private Builder(X500Principal issuer, KeyPair issuerKeys) {
            this.issuer = issuer;
            this.issuerKeys = issuerKeys;
        }

        public Builder subject(String name, KeyPair keys) {
            return subject(new X500Principal(name), keys);
        }

        public Builder subject(X500Principal name, KeyPair keys) {
            this.subject = name;
            this.subjectKeys = keys;
            return this;
        }

        /** Basic constraints (critical), CA or not. */
        public Builder ca(boolean isCa) {
            this.ca = isCa;
            return this;
        }

        public Builder serial(BigInteger s) {
            this.serial = s;
            return this;
        }

        /** Valid from {@code from} to {@code to} (default: from a day ago for 365 days). */
        public Builder validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        /** Valid from a day ago until {@code d} from now. */
        public Builder validFor(Duration d) {
            return validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(d));
        }

        /** Key usage bits (critical), {@link KeyUsage} constants or'd. */
        public Builder keyUsage(int bits) {
            this.keyUsage = bits;
            return this;
        }

        /** Extended key usage: these purposes, in this order. */
        public Builder eku(KeyPurposeId... purposes) {
            this.eku = purposes.clone();
            return this;
        }

        /** No basic constraints at all (as on some old or hand-made certificates), CA or not. */
        public Builder withoutBasicConstraints() {
            this.basicConstraints = false;
            return this;
        }

        /** Any other extension, e.g. the Netscape certificate type. */
        public Builder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
            extra.add(new Extra(oid, critical, value));
            return this;
        }

        /** Subject key identifier, and for a certificate that is no CA's the authority key identifier. */
        public Builder keyIdentifiers() {
            this.keyIdentifiers = true;
            return this;
        }

        public Builder san(GeneralNames names) {
            this.san = names;
            return this;
        }

        public X509Certificate issue() {
            try {
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                        Date.from(notAfter), subject, subjectKeys.getPublic());
                if (basicConstraints) {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                }
                if (keyUsage != null) {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                if (keyIdentifiers) {
                    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
                    if (!ca) {
                        b.addExtension(Extension.authorityKeyIdentifier, false,
                                ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
                    }
                }
                if (eku != null) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
                }
                for (Extra e : extra) {
                    b.addExtension(e.oid(), e.critical(), e.value());
                }
                if (san != null) {
                    b.addExtension(Extension.subjectAlternativeName, false, san);
                }
                return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKeys)));
            } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
                throw new IllegalStateException("cannot issue a test certificate for " + subject, e);
            }
        }
    }
}
