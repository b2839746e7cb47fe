package io.culvert.engine.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The TLS 1.0 PRF and OpenVPN's legacy (non-EKM) data-channel key expansion. Stateless. */
public final class Prf {
    /** Length of the key2 block the key expansion produces. */
    public static final int KEY2_LENGTH = 256;

    private static final byte[] MASTER_LABEL = "OpenVPN master secret".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPANSION_LABEL = "OpenVPN key expansion".getBytes(StandardCharsets.US_ASCII);

    private Prf() {}

    /**
     * TLS 1.0 PRF: P_MD5(first half of secret) XOR P_SHA1(second half); for an odd secret length the
     * halves share the middle byte. The label is expected to be part of {@code seed}.
     */
    public static byte[] tls1Prf(byte[] secret, byte[] seed, int length) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("PRF secret must not be empty");
        }
        int half = (secret.length + 1) / 2;
        byte[] md5 = pHash("HmacMD5", secret, 0, half, seed, length);
        byte[] sha1 = pHash("HmacSHA1", secret, secret.length - half, half, seed, length);
        for (int i = 0; i < length; i++) {
            md5[i] ^= sha1[i];
        }
        return md5;
    }

    /** The 48-byte master secret: PRF(pre_master, "OpenVPN master secret" || client random1 || server random1). */
    public static byte[] openvpnMasterSecret(byte[] preMaster48, byte[] clientRandom1, byte[] serverRandom1) {
        requireLength(preMaster48, 48, "pre_master");
        requireLength(clientRandom1, 32, "client random1");
        requireLength(serverRandom1, 32, "server random1");
        return tls1Prf(preMaster48, concat(MASTER_LABEL, clientRandom1, serverRandom1), 48);
    }

    /** The 256-byte key2 block for key-method 2 without EKM (OpenVPN's own PRF). */
    public static byte[] openvpnKeyExpansion(byte[] preMaster48, byte[] clientRandom1, byte[] serverRandom1,
            byte[] clientRandom2, byte[] serverRandom2, byte[] clientSid8, byte[] serverSid8) {
        byte[] master = openvpnMasterSecret(preMaster48, clientRandom1, serverRandom1);
        requireLength(clientRandom2, 32, "client random2");
        requireLength(serverRandom2, 32, "server random2");
        requireLength(clientSid8, 8, "client session id");
        requireLength(serverSid8, 8, "server session id");
        byte[] seed = concat(EXPANSION_LABEL, clientRandom2, serverRandom2, clientSid8, serverSid8);
        return tls1Prf(master, seed, KEY2_LENGTH);
    }

    private static byte[] pHash(String alg, byte[] secret, int off, int len, byte[] seed, int length) {
        try {
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(secret, off, len, alg));
            byte[] out = new byte[length];
            byte[] a = seed;
            for (int pos = 0; pos < length; ) {
                a = mac.doFinal(a);
                mac.update(a);
                byte[] block = mac.doFinal(seed);
                int n = Math.min(block.length, length - pos);
                System.arraycopy(block, 0, out, pos, n);
                pos += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " unavailable", e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    private static void requireLength(byte[] b, int len, String what) {
        if (b == null || b.length != len) {
            throw new IllegalArgumentException(what + " must be " + len + " bytes");
        }
    }
}
