package io.culvert.engine.pki;

import java.util.Locale;

/** What a certificate is for; decides its key usage and extended key usage. */
public enum CertKind {
    /** The self-signed certificate authority (keyCertSign, cRLSign). */
    CA,
    /** An OpenVPN server (EKU serverAuth). */
    SERVER,
    /** An OpenVPN client (EKU clientAuth). */
    CLIENT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CertKind parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
