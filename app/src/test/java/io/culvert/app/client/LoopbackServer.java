package io.culvert.app.client;

import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ServerHandle;
import java.io.IOException;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real Culvert server started through the engine API on 127.0.0.1 (UDP, in-memory devices when the engine is
 * MEMORY), with a throwaway EC PKI; writes a matching client profile with the CA, certificate and key as files
 * beside it, the way a user receives them. The server hands out 10.8.0.x/24.
 */
final class LoopbackServer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    final ServerHandle server;
    final int port;
    final Path dir;
    private final String caPem;
    private final String clientCertPem;
    private final String clientKeyPem;
    private final String tlsCrypt;
    private KeyPair caKeys;

    private LoopbackServer(ServerHandle server, int port, Path dir, String caPem, String clientCertPem, String clientKeyPem,
            String tlsCrypt) {
        this.server = server;
        this.port = port;
        this.dir = dir;
        this.caPem = caPem;
        this.clientCertPem = clientCertPem;
        this.clientKeyPem = clientKeyPem;
        this.tlsCrypt = tlsCrypt;
    }

    static LoopbackServer start(Engine engine, Path dir) throws Exception {
        Files.createDirectories(dir);
        KeyPair caKeys = keys();
        X500Principal ca = new X500Principal("CN=Culvert App Test CA");
        X509Certificate caCert = issue(ca, caKeys, ca, caKeys, true, null, Duration.ofDays(365));
        KeyPair serverKeys = keys();
        X509Certificate serverCert = issue(new X500Principal("CN=server"), serverKeys, ca, caKeys, false, KeyPurposeId.id_kp_serverAuth,
                Duration.ofDays(365));
        KeyPair clientKeys = keys();
        X509Certificate clientCert = issue(new X500Principal("CN=alice"), clientKeys, ca, caKeys, false, KeyPurposeId.id_kp_clientAuth,
                Duration.ofDays(365));
        String tc = staticKey();
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String config = """
                local 127.0.0.1
                port %d
                proto udp
                dev tun
                topology subnet
                server 10.8.0.0 255.255.255.0
                keepalive 10 60
                dh none
                data-ciphers AES-256-GCM:AES-128-GCM
                <ca>
                %s</ca>
                <cert>
                %s</cert>
                <key>
                %s</key>
                <tls-crypt>
                %s</tls-crypt>
                """.formatted(port, pem("CERTIFICATE", caCert.getEncoded()), pem("CERTIFICATE", serverCert.getEncoded()),
                pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()), tc);
        ServerHandle h = engine.startServer(config, dir, e -> { });
        LoopbackServer s = new LoopbackServer(h, port, dir, pem("CERTIFICATE", caCert.getEncoded()),
                pem("CERTIFICATE", clientCert.getEncoded()), pem("PRIVATE KEY", clientKeys.getPrivate().getEncoded()), tc);
        s.caKeys = caKeys;
        return s;
    }

    /** Like {@link #writeProfile}, with a client certificate of its own ({@code name}'s .crt/.key) valid for {@code validity}. */
    Path writeProfile(String name, String proto, String extra, Duration validity) throws Exception {
        KeyPair keys = keys();
        X509Certificate cert = issue(new X500Principal("CN=alice"), keys, new X500Principal("CN=Culvert App Test CA"), caKeys, false,
                KeyPurposeId.id_kp_clientAuth, validity);
        String base = name.replaceFirst("\\.ovpn$", "");
        Files.writeString(dir.resolve(base + ".crt"), pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(dir.resolve(base + ".key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Path p = writeProfile(name, proto, extra);
        Files.writeString(p, Files.readString(p).replace("cert alice.crt\nkey alice.key\n", "cert " + base + ".crt\nkey " + base + ".key\n"));
        return p;
    }

    /**
     * Writes {@code name} (over {@code proto}) with ca.crt, alice.crt, alice.key and tc.key beside it; {@code extra} lines go before the
     * file references.
     */
    Path writeProfile(String name, String proto, String extra) throws IOException {
        Files.writeString(dir.resolve("ca.crt"), caPem);
        Files.writeString(dir.resolve("alice.crt"), clientCertPem);
        Files.writeString(dir.resolve("alice.key"), clientKeyPem);
        Files.writeString(dir.resolve("tc.key"), tlsCrypt);
        String text = """
                # Test office profile
                client
                dev tun
                proto %s
                remote 127.0.0.1 %d
                nobind
                remote-cert-tls server
                persist-key
                explicit-exit-notify 1
                verb 3
                %sca ca.crt
                cert alice.crt
                key alice.key
                tls-crypt tc.key
                """.formatted(proto, port, extra);
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
        server.awaitStopped(5000);
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate issue(X500Principal subject, KeyPair subjectKeys, X500Principal issuer, KeyPair issuerKeys,
            boolean isCa, KeyPurposeId eku, Duration validity) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        if (eku != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String staticKey() {
        byte[] key = new byte[256];
        RANDOM.nextBytes(key);
        StringBuilder sb = new StringBuilder("-----BEGIN OpenVPN Static key V1-----\n");
        String hex = HexFormat.of().formatHex(key);
        for (int i = 0; i < hex.length(); i += 32) {
            sb.append(hex, i, i + 32).append('\n');
        }
        return sb.append("-----END OpenVPN Static key V1-----\n").toString();
    }
}
