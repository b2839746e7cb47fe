package io.culvert.engine.tls;

import io.culvert.engine.common.X509Names;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Certificate fields by their OpenSSL names, as OpenVPN 2.7.6 reads them for {@code x509-username-field}
 * ({@code backend_x509_get_username}) and {@code x509-track} ({@code x509_setenv_track}): a subject attribute by its
 * short or long name ({@code CN}, {@code emailAddress}, {@code OU}...; the first one in the subject), the certificate
 * serial for {@code serialNumber} in a username ({@code 0x} and upper-case hex), and for tracking the {@code SHA1} and
 * {@code SHA256} fingerprints (upper-case hex bytes joined by colons). Stateless.
 */
public final class X509Fields {
    private X509Fields() {}

    /** Whether {@code name} is a subject attribute OpenSSL knows (or a fingerprint when {@code track}). */
    public static boolean known(String name, boolean track) {
        return X509Names.known(name, track);
    }

    /** The username from {@code field}, or null when the certificate lacks it (OpenVPN then refuses the peer). */
    public static String username(X509Certificate cert, String field) {
        if (field.equals("serialNumber")) {
            String hex = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
            return "0x" + (hex.length() % 2 == 1 ? "0" + hex : hex); // BN_bn2hex: whole bytes
        }
        return subject(cert, field);
    }

    /**
     * OpenVPN's username from {@code fields} (joined by {@code _} when several), or null when one cannot be read.
     */
    public static String username(X509Certificate cert, java.util.List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            String v = username(cert, f);
            if (v == null) {
                return null;
            }
            sb.append(sb.isEmpty() ? "" : "_").append(v);
        }
        return sb.toString();
    }

    /** The {@code x509-track} value of {@code name}, or null when the certificate lacks it. */
    public static String track(X509Certificate cert, String name) {
        if (isDigest(name)) {
            try {
                byte[] d = MessageDigest.getInstance(name.equals("SHA1") ? "SHA-1" : "SHA-256").digest(cert.getEncoded());
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
            } catch (GeneralSecurityException e) {
                return null;
            }
        }
        return subject(cert, name);
    }

    private static boolean isDigest(String name) {
        return name.equals("SHA1") || name.equals("SHA256");
    }

    private static String subject(X509Certificate cert, String name) {
        ASN1ObjectIdentifier oid = oid(name);
        if (oid == null) {
            return null;
        }
        try {
            X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(oid)) {
                ASN1Encodable v = rdn.getFirst().getValue();
                // OpenVPN replaces CR and LF with '?' (string_mod CC_CRLF)
                return (v instanceof ASN1String s ? s.getString() : v.toString()).replace('\r', '?').replace('\n', '?');
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static ASN1ObjectIdentifier oid(String name) {
        String oid = X509Names.SUBJECT.get(name);
        return oid == null ? null : new ASN1ObjectIdentifier(oid);
    }


}
