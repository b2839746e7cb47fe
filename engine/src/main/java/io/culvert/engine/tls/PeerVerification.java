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
 * OpenVPN's checks on the peer's leaf certificate: {@code remote-cert-tls} and {@code verify-x509-name}.
 * Instances are immutable.
 *
 * @param requiredEku "server" or "client" (from remote-cert-tls), or null for no check
 * @param x509Name name to match, or null
 * @param x509NameType "subject", "name" or "name-prefix"
 */
public record PeerVerification(String requiredEku, String x509Name, String x509NameType) {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    public static PeerVerification none() {
        return new PeerVerification(null, null, null);
    }

    public void check(X509Certificate leaf) throws CertificateException {
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
