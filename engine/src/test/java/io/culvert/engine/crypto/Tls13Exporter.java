package io.culvert.engine.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;

/** Test-only TLS 1.3 exporter (RFC 8446 §7.5) computed from a key log's EXPORTER_SECRET. */
final class Tls13Exporter {
    private final byte[] exporterSecret;
    private final String hash;
    private final String hmac;

    Tls13Exporter(byte[] exporterSecret) {
        this.exporterSecret = exporterSecret.clone();
        this.hash = exporterSecret.length == 48 ? "SHA-384" : "SHA-256";
        this.hmac = exporterSecret.length == 48 ? "HmacSHA384" : "HmacSHA256";
    }

    /** Exporter output with an empty context (identical to "no context" in TLS 1.3). */
    byte[] export(String label, int length) {
        byte[] derived = expandLabel(exporterSecret, label, digest(new byte[0]), exporterSecret.length);
        return expandLabel(derived, "exporter", digest(new byte[0]), length);
    }

    private byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(length >>> 8);
        info.write(length);
        info.write(full.length);
        info.writeBytes(full);
        info.write(context.length);
        info.writeBytes(context);
        Mac mac = Jce.hmac(hmac, secret, 0, secret.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] t = new byte[0];
        for (int i = 1; out.size() < length; i++) {
            mac.update(t);
            mac.update(info.toByteArray());
            mac.update((byte) i);
            t = mac.doFinal();
            out.writeBytes(t);
        }
        return java.util.Arrays.copyOf(out.toByteArray(), length);
    }

    private byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(hash).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
