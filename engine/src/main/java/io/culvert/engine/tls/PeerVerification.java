package io.culvert.engine.tls;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * OpenVPN's checks on the peer's leaf certificate: {@code remote-cert-tls}, {@code ns-cert-type} and
 * {@code verify-x509-name}. Instances are immutable.
 *
 * @param requiredEku "server" or "client" (from remote-cert-tls), or null for no check
 * @param purpose "server" or "client" (from ns-cert-type), or null for no check: as OpenVPN 2.6/2.7 with OpenSSL make
 *     it, the certificate must be fit for a TLS server (client): each of extendedKeyUsage, the Netscape certificate
 *     type and keyUsage that it carries must allow that use (one it does not carry does not refuse it); a client
 *     certificate that fails this is still accepted when its Netscape type says "SSL client", as 2.7 does
 * @param x509Name name to match, or null
 * @param x509NameType "subject", "name" or "name-prefix"
 */
public record PeerVerification(String requiredEku, String purpose, String x509Name, String x509NameType) {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    /** Netscape and Microsoft Server Gated Crypto, which OpenSSL's TLS server purpose accepts as well. */
    private static final List<String> SERVER_GATED = List.of("2.16.840.1.113730.4.1", "1.3.6.1.4.1.311.10.3.3");
    private static final String NETSCAPE_CERT_TYPE = "2.16.840.1.113730.1.1";
    private static final int NS_SSL_CLIENT = 0x80;
    private static final int NS_SSL_SERVER = 0x40;
    private static final int KU_DIGITAL_SIGNATURE = 0;
    private static final int KU_KEY_ENCIPHERMENT = 2;
    private static final int KU_KEY_AGREEMENT = 4;

    /** Without an {@code ns-cert-type} check. */
    public PeerVerification(String requiredEku, String x509Name, String x509NameType) {
        this(requiredEku, null, x509Name, x509NameType);
    }

    public static PeerVerification none() {
        return new PeerVerification(null, null, null, null);
    }

    public void check(X509Certificate leaf) throws CertificateException {
        if (purpose != null && !fitFor(leaf, purpose.equals("server"))) {
            throw new CertificateException("ns-cert-type " + purpose + ": peer certificate is not fit for a TLS " + purpose
                    + " (its extendedKeyUsage, Netscape certificate type or keyUsage forbids it)");
        }
        if (requiredEku != null) {
            if (leaf.getKeyUsage() == null) {
                throw new CertificateException("remote-cert-tls " + requiredEku + ": peer certificate has no keyUsage extension");
            }
            String oid = requiredEku.equals("server") ? SERVER_AUTH : CLIENT_AUTH;
            List<String> eku = extendedKeyUsage(leaf);
            if (eku == null || !eku.contains(oid)) {
                throw new CertificateException("remote-cert-tls " + requiredEku + ": peer certificate lacks extendedKeyUsage "
                        + (requiredEku.equals("server") ? "serverAuth" : "clientAuth"));
            }
        }
        if (x509Name != null) {
            String type = x509NameType == null ? "subject" : x509NameType;
            String subject = leaf.getSubjectX500Principal().getName();
            String cn = commonName(leaf);
            boolean ok = switch (type) {
                case "name" -> x509Name.equals(cn);
                case "name-prefix" -> cn != null && cn.startsWith(x509Name);
                default -> sameDn(subject, x509Name);
            };
            if (!ok) {
                throw new CertificateException("verify-x509-name: peer certificate " + subject + " does not match '" + x509Name + "' (" + type + ")");
            }
        }
    }

    /** OpenSSL's TLS server/client purpose check, and 2.7's Netscape fallback for clients. */
    private static boolean fitFor(X509Certificate cert, boolean server) throws CertificateException {
        Integer nsType = netscapeCertType(cert);
        List<String> eku = extendedKeyUsage(cert);
        boolean ekuOk = eku == null || eku.contains(server ? SERVER_AUTH : CLIENT_AUTH)
                || server && eku.stream().anyMatch(SERVER_GATED::contains);
        boolean nsOk = nsType == null || (nsType & (server ? NS_SSL_SERVER : NS_SSL_CLIENT)) != 0;
        boolean[] ku = cert.getKeyUsage();
        boolean kuOk = ku == null || bit(ku, KU_DIGITAL_SIGNATURE) || bit(ku, KU_KEY_AGREEMENT)
                || server && bit(ku, KU_KEY_ENCIPHERMENT);
        if (ekuOk && nsOk && kuOk) {
            return true;
        }
        return !server && nsType != null && (nsType & NS_SSL_CLIENT) != 0;
    }

    private static boolean bit(boolean[] bits, int i) {
        return i < bits.length && bits[i];
    }

    /** The first byte of the Netscape certificate type bit string (bit 0 = 0x80), or null when absent. */
    static Integer netscapeCertType(X509Certificate cert) throws CertificateException {
        byte[] der = cert.getExtensionValue(NETSCAPE_CERT_TYPE);
        if (der == null) {
            return null;
        }
        // OCTET STRING { BIT STRING { unused-bits, bits... } }, short lengths (the value is one or two bytes)
        if (der.length < 5 || der[0] != 0x04 || der[2] != 0x03 || (der[1] & 0xff) != der.length - 2
                || (der[3] & 0xff) != der.length - 4) {
            throw new CertificateException("unreadable Netscape certificate type extension");
        }
        return der.length > 5 ? der[5] & 0xff : 0;
    }

    private static List<String> extendedKeyUsage(X509Certificate cert) throws CertificateException {
        try {
            return cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable extendedKeyUsage", e);
        }
    }

    /** The certificate's common name, or null. */
    public static String commonName(X509Certificate cert) {
        try {
            LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
            for (Rdn rdn : dn.getRdns().reversed()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static boolean sameDn(String rfc2253, String configured) {
        // OpenVPN prints subjects as "C=DE, O=x, CN=y" (OpenSSL one-line) or "/C=DE/O=x/CN=y"; compare RDN sets.
        String normalizedConfigured = configured.startsWith("/")
                ? String.join(",", List.of(configured.substring(1).split("/")).reversed())
                : configured;
        try {
            LdapName a = new LdapName(rfc2253);
            LdapName b = new LdapName(normalizedConfigured);
            if (a.equals(b)) {
                return true;
            }
            List<Rdn> ra = a.getRdns();
            List<Rdn> rb = b.getRdns().reversed();
            return ra.equals(rb);
        } catch (InvalidNameException e) {
            return rfc2253.toLowerCase(Locale.ROOT).equals(configured.toLowerCase(Locale.ROOT));
        }
    }
}
