package io.culvert.engine.pki;

import java.util.Locale;

/** CRL entry reasons (RFC 5280 §5.3.1) that an administrator picks from. */
public enum RevokeReason {
    /** No reason given. */
    UNSPECIFIED(0),
    /** The private key leaked. */
    KEY_COMPROMISE(1),
    /** The holder changed name or role. */
    AFFILIATION_CHANGED(3),
    /** Replaced by a newer certificate. */
    SUPERSEDED(4),
    /** The holder no longer needs access. */
    CESSATION_OF_OPERATION(5);

    private final int code;

    RevokeReason(int code) {
        this.code = code;
    }

    /** The CRLReason code. */
    public int code() {
        return code;
    }

    /** The name used in the index and on the command line ({@code keyCompromise} …). */
    public String label() {
        String[] parts = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return sb.toString();
    }

    public static RevokeReason parse(String label) {
        for (RevokeReason r : values()) {
            if (r.label().equalsIgnoreCase(label) || r.name().equalsIgnoreCase(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown revocation reason '" + label + "'");
    }
}
