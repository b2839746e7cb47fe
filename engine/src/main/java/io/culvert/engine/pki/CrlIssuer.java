package io.culvert.engine.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;

/** Builds the CA's X.509 v2 CRL (with nextUpdate, CRL number and authority key identifier). Stateless and thread-safe. */
public final class CrlIssuer {
    private CrlIssuer() {}

    /** One revoked serial. */
    public record Entry(BigInteger serial, Instant revokedAt, RevokeReason reason) {}

    public static X509CRL build(X509Certificate ca, PrivateKey caKey, List<Entry> revoked, BigInteger number,
            Instant thisUpdate, Instant nextUpdate) {
        try {
            X509v2CRLBuilder b = new JcaX509v2CRLBuilder(ca, Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (Entry e : revoked) {
                // reason 0 tells BouncyCastle to leave the reasonCode out, as RFC 5280 asks for "unspecified"
                b.addCRLEntry(e.serial(), Date.from(e.revokedAt()), e.reason().code());
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            return new JcaX509CRLConverter().getCRL(b.build(CertificateIssuer.signer(caKey)));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CRL", e);
        }
    }

    /** The CRL number extension of {@code crl}, or zero when absent. */
    public static BigInteger number(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return BigInteger.ZERO;
        }
        try {
            return CRLNumber.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getCRLNumber();
        } catch (RuntimeException e) {
            return BigInteger.ZERO;
        }
    }
}
