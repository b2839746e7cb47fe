package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.misc.NetscapeCertType;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ns-cert-type server|client} accepts exactly the certificates OpenSSL calls fit for a TLS server/client (the
 * check OpenVPN 2.6/2.7 make), judged independently by {@code openssl x509 -purpose} on the same certificates, plus
 * 2.7's fallback for a client certificate whose only evidence is the Netscape "SSL client" type.
 */
class NsCertTypeTest {
    private static final Pattern PURPOSE = Pattern.compile("^SSL (server|client) : (Yes|No)$", Pattern.MULTILINE);

    record Shape(String name, KeyPurposeId[] eku, Integer netscape, Integer keyUsage) {}

    @Test
    void serverAndClientPurposesMatchOpenssl(@TempDir Path dir) throws Exception {
        KeyPair ca = TestKeys.ec();
        List<Shape> shapes = List.of(
                new Shape("no extensions", null, null, null),
                new Shape("EKU serverAuth", new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}, null, null),
                new Shape("EKU clientAuth", new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null, null),
                new Shape("EKU both", new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
                        null, KeyUsage.digitalSignature),
                new Shape("EKU codeSigning", new KeyPurposeId[] {KeyPurposeId.id_kp_codeSigning}, null, null),
                new Shape("Netscape server", null, NetscapeCertType.sslServer, null),
                new Shape("Netscape client", null, NetscapeCertType.sslClient, null),
                new Shape("KU keyEncipherment", null, null, KeyUsage.keyEncipherment),
                new Shape("KU keyCertSign", null, null, KeyUsage.keyCertSign),
                new Shape("easy-rsa server", new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}, NetscapeCertType.sslServer,
                        KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        List<String> mismatches = new ArrayList<>();
        for (Shape shape : shapes) {
            X509Certificate cert = certificate(shape, ca);
            Path pem = dir.resolve(shape.name().replace(' ', '_') + ".pem");
            Files.writeString(pem, TestKeys.pem(cert));
            for (String role : List.of("server", "client")) {
                boolean openssl = opensslSays(pem, role);
                boolean culvert = accepts(new PeerVerification(null, role, null, null), cert);
                if (openssl != culvert) {
                    mismatches.add(shape.name() + " as " + role + ": openssl " + openssl + ", Culvert " + culvert);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void aClientCertificateTypedSslClientIsAcceptedEvenWhenItsEkuSaysOtherwiseAsOpenvpn27Does() throws Exception {
        KeyPair ca = TestKeys.ec();
        X509Certificate odd = certificate(new Shape("odd", new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth},
                NetscapeCertType.sslClient, null), ca);
        assertTrue(accepts(new PeerVerification(null, "client", null, null), odd));
        assertEquals(false, accepts(new PeerVerification(null, "server", null, null), odd), "its Netscape type says client");
    }

    private static boolean accepts(PeerVerification v, X509Certificate cert) {
        try {
            v.check(cert);
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    private static boolean opensslSays(Path pem, String role) throws Exception {
        Process p = new ProcessBuilder("openssl", "x509", "-in", pem.toString(), "-noout", "-purpose")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Matcher m = PURPOSE.matcher(out);
        while (m.find()) {
            if (m.group(1).equals(role)) {
                return m.group(2).equals("Yes");
            }
        }
        throw new AssertionError("no SSL " + role + " line in: " + out);
    }

    private static X509Certificate certificate(Shape shape, KeyPair ca) {
        TestCertificates.Builder b = TestCertificates.signedBy(new X500Principal("CN=ca"), ca)
                .subject("CN=" + shape.name(), TestCertificates.ec()).withoutBasicConstraints()
                .validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
        if (shape.eku() != null) {
            b.eku(shape.eku());
        }
        if (shape.netscape() != null) {
            b.extension(new ASN1ObjectIdentifier("2.16.840.1.113730.1.1"), false, new NetscapeCertType(shape.netscape()));
        }
        if (shape.keyUsage() != null) {
            b.keyUsage(shape.keyUsage());
        }
        return b.issue();
    }
}
