package io.culvert.engine.common;

import java.util.Map;

/**
 * The certificate subject attributes OpenVPN's {@code x509-username-field} and {@code x509-track} accept, by the
 * OpenSSL short and long names ({@code OBJ_txt2nid}) mapped to their object identifiers. OpenSSL's names, not
 * BouncyCastle's: {@code SN} is the surname here. Plus the two fingerprints {@code x509-track} also knows. Immutable.
 */
public final class X509Names {
    /** OpenSSL name → OID of the subject attribute. */
    public static final Map<String, String> SUBJECT = Map.ofEntries(
            Map.entry("CN", "2.5.4.3"), Map.entry("commonName", "2.5.4.3"),
            Map.entry("SN", "2.5.4.4"), Map.entry("surname", "2.5.4.4"),
            Map.entry("serialNumber", "2.5.4.5"),
            Map.entry("C", "2.5.4.6"), Map.entry("countryName", "2.5.4.6"),
            Map.entry("L", "2.5.4.7"), Map.entry("localityName", "2.5.4.7"),
            Map.entry("ST", "2.5.4.8"), Map.entry("stateOrProvinceName", "2.5.4.8"),
            Map.entry("street", "2.5.4.9"), Map.entry("streetAddress", "2.5.4.9"),
            Map.entry("O", "2.5.4.10"), Map.entry("organizationName", "2.5.4.10"),
            Map.entry("OU", "2.5.4.11"), Map.entry("organizationalUnitName", "2.5.4.11"),
            Map.entry("title", "2.5.4.12"),
            Map.entry("description", "2.5.4.13"),
            Map.entry("businessCategory", "2.5.4.15"),
            Map.entry("postalCode", "2.5.4.17"),
            Map.entry("name", "2.5.4.41"),
            Map.entry("GN", "2.5.4.42"), Map.entry("givenName", "2.5.4.42"),
            Map.entry("initials", "2.5.4.43"),
            Map.entry("generationQualifier", "2.5.4.44"),
            Map.entry("dnQualifier", "2.5.4.46"),
            Map.entry("pseudonym", "2.5.4.65"),
            Map.entry("emailAddress", "1.2.840.113549.1.9.1"),
            Map.entry("UID", "0.9.2342.19200300.100.1.1"), Map.entry("userId", "0.9.2342.19200300.100.1.1"),
            Map.entry("DC", "0.9.2342.19200300.100.1.25"), Map.entry("domainComponent", "0.9.2342.19200300.100.1.25"));

    private X509Names() {}

    /** Whether {@code name} names a subject attribute, or with {@code track} also a fingerprint ({@code SHA1}, {@code SHA256}). */
    public static boolean known(String name, boolean track) {
        return SUBJECT.containsKey(name) || (track && (name.equals("SHA1") || name.equals("SHA256")));
    }
}
