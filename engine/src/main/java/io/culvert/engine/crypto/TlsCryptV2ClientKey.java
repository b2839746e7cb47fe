package io.culvert.engine.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * An "OpenVPN tls-crypt-v2 client key": Kc (256 bytes, used as a tls-crypt key) followed by WKc, the copy of Kc the
 * server key wrapped, which the client sends in the clear on its first packets. Immutable.
 */
public record TlsCryptV2ClientKey(StaticKey key, byte[] wkc) {
    /** Bytes a WKc adds around its metadata: tag 32, Kc 256, length 2. */
    public static final int WKC_OVERHEAD = 32 + StaticKey.LENGTH + 2;

    static final String LABEL = "OpenVPN tls-crypt-v2 client key";

    public TlsCryptV2ClientKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(wkc, "wkc");
        if (wkc.length < WKC_OVERHEAD || wkc.length > TlsCryptV2ServerKey.MAX_WKC_LENGTH) {
            throw new IllegalArgumentException("wrapped client key has " + wkc.length + " bytes, expected "
                    + WKC_OVERHEAD + ".." + TlsCryptV2ServerKey.MAX_WKC_LENGTH);
        }
        int declared = ((wkc[wkc.length - 2] & 0xff) << 8) | (wkc[wkc.length - 1] & 0xff);
        if (declared != wkc.length) {
            throw new IllegalArgumentException("wrapped client key says it has " + declared + " bytes but has " + wkc.length);
        }
        wkc = wkc.clone();
    }

    @Override
    public byte[] wkc() {
        return wkc.clone();
    }

    /** Parses the PEM text {@code openvpn --genkey tls-crypt-v2-client} writes. */
    public static TlsCryptV2ClientKey parse(String pemText) {
        byte[] all = OpenvpnPem.decode(pemText, LABEL);
        if (all.length < StaticKey.LENGTH + WKC_OVERHEAD) {
            throw new IllegalArgumentException("tls-crypt-v2 client key too short (" + all.length + " bytes)");
        }
        return new TlsCryptV2ClientKey(new StaticKey(Arrays.copyOf(all, StaticKey.LENGTH)),
                Arrays.copyOfRange(all, StaticKey.LENGTH, all.length));
    }

    /** A client key wrapped by {@code server} with {@code metadata} (type byte first). */
    public static TlsCryptV2ClientKey create(TlsCryptV2ServerKey server, StaticKey kc, byte[] metadata) {
        return new TlsCryptV2ClientKey(kc, server.wrap(kc, metadata));
    }

    public String toPem() {
        byte[] all = new byte[StaticKey.LENGTH + wkc.length];
        System.arraycopy(key.bytes(), 0, all, 0, StaticKey.LENGTH);
        System.arraycopy(wkc, 0, all, StaticKey.LENGTH, wkc.length);
        return OpenvpnPem.encode(all, LABEL);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsCryptV2ClientKey other && key.equals(other.key) && MessageDigest.isEqual(wkc, other.wkc);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(wkc);
    }

    @Override
    public String toString() {
        return "TlsCryptV2ClientKey[wkc " + wkc.length + " bytes]";
    }
}
