package io.culvert.engine.it;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import io.culvert.engine.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A throwaway PKI in one directory: CA, server and client certificates, and tls-auth / tls-crypt keys.
 * Immutable once created.
 */
public final class TestPki {

    /** Key algorithm of every certificate in the PKI. */
    public enum KeyType {
        /** ECDSA on P-256, signed with SHA256withECDSA. */
        EC_P256,
        /** RSA 2048, signed with SHA256withRSA. */
        RSA_2048
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(730);
    private static final X500Principal CA_NAME = new X500Principal("CN=Culvert Test CA");
    private final Path dir;
    private final KeyType type;
    private final KeyPair caKeys;

    private TestPki(Path dir, KeyType type, KeyPair caKeys) {
        this.dir = dir;
        this.type = type;
        this.caKeys = caKeys;
    }

    /** Creates an EC P-256 PKI in {@code dir}. */
    public static TestPki create(Path dir) {
        return create(dir, KeyType.EC_P256);
    }

    /** Creates a PKI in {@code dir} (created if needed): ca.crt, server/client .crt/.key, ta.key, tc.key. */
    public static TestPki create(Path dir, KeyType type) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = keyPair(type);
            TestPki pki = new TestPki(dir, type, caKeys);
            X500Principal caName = CA_NAME;
            X509Certificate ca = issue(type, caName, caKeys, caName, caKeys, true, null,
                    KeyUsage.keyCertSign | KeyUsage.cRLSign);
            KeyPair serverKeys = keyPair(type);
            X509Certificate server = issue(type, new X500Principal("CN=server"), serverKeys, caName, caKeys, false,
                    KeyPurposeId.id_kp_serverAuth,
                    KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement);
            KeyPair clientKeys = keyPair(type);
            X509Certificate client = issue(type, new X500Principal("CN=client"), clientKeys, caName, caKeys, false,
                    KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature);
            writePem(pki.ca(), "CERTIFICATE", ca.getEncoded(), false);
            writePem(pki.serverCert(), "CERTIFICATE", server.getEncoded(), false);
            writePem(pki.serverKey(), "PRIVATE KEY", serverKeys.getPrivate().getEncoded(), true);
            writePem(pki.clientCert(), "CERTIFICATE", client.getEncoded(), false);
            writePem(pki.clientKey(), "PRIVATE KEY", clientKeys.getPrivate().getEncoded(), true);
            writeStaticKey(pki.taKey());
            writeStaticKey(pki.tcKey());
            TlsCryptV2ServerKey v2 = TlsCryptV2ServerKey.generate(RANDOM);
            Files.writeString(pki.tcV2ServerKey(), v2.toPem(), StandardCharsets.US_ASCII);
            writeTlsCryptV2Client(pki.tcV2ClientKey(), v2);
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build test PKI", e);
        }
    }

    /**
     * Issues another client certificate with common name {@code cn} from this PKI's CA, written to
     * {@code <cn>.crt} and {@code <cn>.key}; returns {cert, key}. Only on the instance that created the PKI.
     */
    public Path[] issueClient(String cn) {
        return issueClient(cn, CA_NAME, caKeys, cn, VALIDITY);
    }

    /**
     * Issues another client certificate with common name {@code cn}, valid from a day ago for {@code validity} from now,
     * written to {@code <file>.crt} and {@code <file>.key}; returns {cert, key}.
     */
    public Path[] issueClient(String cn, String file, Duration validity) {
        checkName(file);
        return issueClient(cn, CA_NAME, caKeys, file, validity);
    }

    /**
     * Writes a CRL signed by this PKI's CA to {@code file}, listing the certificates in {@code revoked} (PEM files);
     * none gives an empty CRL. Only on the instance that created the PKI.
     */
    public Path writeCrl(Path file, Path... revoked) {
        return writeCrl(CA_NAME, caKeys, file, revoked);
    }

    /**
     * Issues an intermediate CA {@code cn} from this PKI's CA, its certificate written to {@code <cn>.crt}. Only on
     * the instance that created the PKI.
     */
    public Intermediate issueIntermediate(String cn) {
        checkName(cn);
        try {
            KeyPair keys = keyPair(type);
            X500Principal name = new X500Principal("CN=" + cn);
            X509Certificate cert = issue(type, name, keys, CA_NAME, caKeys, true, null, KeyUsage.keyCertSign | KeyUsage.cRLSign);
            Path file = dir.resolve(cn + ".crt");
            writePem(file, "CERTIFICATE", cert.getEncoded(), false);
            return new Intermediate(file, name, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue intermediate CA " + cn, e);
        }
    }

    /** An intermediate CA of the PKI: its certificate, and the client certificates and CRLs it signs. */
    public final class Intermediate {
        private final Path cert;
        private final X500Principal name;
        private final KeyPair keys;

        private Intermediate(Path cert, X500Principal name, KeyPair keys) {
            this.cert = cert;
            this.name = name;
            this.keys = keys;
        }

        /** The intermediate's certificate (PEM), signed by the PKI's CA. */
        public Path cert() {
            return cert;
        }

        /** Like {@link TestPki#issueClient}, signed by this intermediate. */
        public Path[] issueClient(String cn) {
            return TestPki.this.issueClient(cn, name, keys, cn, VALIDITY);
        }

        /** Like {@link TestPki#writeCrl}, signed by this intermediate. */
        public Path writeCrl(Path file, Path... revoked) {
            return TestPki.this.writeCrl(name, keys, file, revoked);
        }
    }

    private static void checkName(String cn) {
        if (!cn.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("unsafe common name " + cn);
        }
    }

    private Path[] issueClient(String cn, X500Principal issuer, KeyPair issuerKeys, String file, Duration validity) {
        checkName(cn);
        try {
            KeyPair keys = keyPair(type);
            X509Certificate cert = issue(type, new X500Principal("CN=" + cn), keys, issuer, issuerKeys, false,
                    KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature, null, validity);
            Path[] files = {dir.resolve(file + ".crt"), dir.resolve(file + ".key")};
            writePem(files[0], "CERTIFICATE", cert.getEncoded(), false);
            writePem(files[1], "PRIVATE KEY", keys.getPrivate().getEncoded(), true);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue client certificate " + cn, e);
        }
    }

    private Path writeCrl(X500Principal issuer, KeyPair issuerKeys, Path file, Path... revoked) {
        try {
            java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
            java.util.List<java.math.BigInteger> serials = new java.util.ArrayList<>();
            for (Path cert : revoked) {
                try (var in = Files.newInputStream(cert)) {
                    serials.add(((X509Certificate) cf.generateCertificate(in)).getSerialNumber());
                }
            }
            writePem(file, "X509 CRL", TestCertificates.crl(issuer, issuerKeys, serials).getEncoded(), false);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write a CRL", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The CA's private key as PKCS#8 PEM, for a test that hands this CA to a fleet's admin machine (ADR 0054). */
    public String caKeyPem() {
        return TestCertificates.pem("PRIVATE KEY", caKeys.getPrivate().getEncoded());
    }

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path clientCert() {
        return dir.resolve("client.crt");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** The tls-auth key (OpenVPN static key V1). */
    public Path taKey() {
        return dir.resolve("ta.key");
    }

    /** The tls-crypt key (OpenVPN static key V1). */
    public Path tcKey() {
        return dir.resolve("tc.key");
    }

    /** The tls-crypt-v2 server key. */
    public Path tcV2ServerKey() {
        return dir.resolve("tcv2-server.key");
    }

    /** A tls-crypt-v2 client key wrapped by {@link #tcV2ServerKey()}, with a timestamp of now as metadata. */
    public Path tcV2ClientKey() {
        return dir.resolve("tcv2-client.key");
    }

    /** Writes a tls-crypt-v2 client key wrapped by {@code server} (timestamp metadata, as {@code --genkey} makes). */
    public static void writeTlsCryptV2Client(Path file, TlsCryptV2ServerKey server) throws IOException {
        byte[] metadata = java.nio.ByteBuffer.allocate(9).put((byte) 1).putLong(System.currentTimeMillis() / 1000).array();
        Files.writeString(file, TlsCryptV2ClientKey.create(server, StaticKey.generate(RANDOM), metadata).toPem(),
                StandardCharsets.US_ASCII);
    }

    /** The file wrapped as an inline profile block: {@code <tag>\n…\n</tag>\n}. */
    public static String inline(String tag, Path file) {
        try {
            String body = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return "<" + tag + ">\n" + body + "\n</" + tag + ">\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair keyPair(KeyType type) {
        return type == KeyType.RSA_2048 ? TestCertificates.rsa() : TestCertificates.ec();
    }

    private static X509Certificate issue(KeyType type, X500Principal subject, KeyPair subjectKeys,
            X500Principal issuer, KeyPair issuerKeys, boolean isCa, KeyPurposeId eku, int keyUsage) {
        return issue(type, subject, subjectKeys, issuer, issuerKeys, isCa, eku, keyUsage, null, VALIDITY);
    }

    /**
     * A web server certificate (serverAuth) for {@code name}, a DNS name or an IP address, in its subject alternative
     * names, as a browser or {@code wss} client checks it; written to {@code <file>.crt} and {@code <file>.key}.
     */
    public Path[] issueWebServer(String file, String name) {
        checkName(file);
        try {
            KeyPair keys = keyPair(type);
            boolean ip = name.matches("[0-9.]+") || name.contains(":");
            org.bouncycastle.asn1.x509.GeneralNames san = new org.bouncycastle.asn1.x509.GeneralNames(
                    new org.bouncycastle.asn1.x509.GeneralName(ip ? org.bouncycastle.asn1.x509.GeneralName.iPAddress
                            : org.bouncycastle.asn1.x509.GeneralName.dNSName, name));
            X509Certificate cert = issue(type, new X500Principal("CN=" + name), keys, CA_NAME, caKeys, false,
                    KeyPurposeId.id_kp_serverAuth, KeyUsage.digitalSignature | KeyUsage.keyEncipherment, san, VALIDITY);
            Path[] files = {dir.resolve(file + ".crt"), dir.resolve(file + ".key")};
            writePem(files[0], "CERTIFICATE", cert.getEncoded(), false);
            writePem(files[1], "PRIVATE KEY", keys.getPrivate().getEncoded(), true);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue web server certificate " + name, e);
        }
    }

    /** The certificates of the PKI: key usage (critical), key identifiers, and for one that is no CA's its EKU. */
    private static X509Certificate issue(KeyType type, X500Principal subject, KeyPair subjectKeys,
            X500Principal issuer, KeyPair issuerKeys, boolean isCa, KeyPurposeId eku, int keyUsage,
            org.bouncycastle.asn1.x509.GeneralNames san, Duration validity) {
        TestCertificates.Builder b = TestCertificates.signedBy(issuer, issuerKeys).subject(subject, subjectKeys).ca(isCa)
                .keyUsage(keyUsage).keyIdentifiers().validFor(validity).san(san);
        return (isCa ? b : b.eku(eku)).issue();
    }

    private static void writePem(Path file, String label, byte[] der, boolean secret) throws IOException {
        write(file, TestCertificates.pem(label, der), secret);
    }

    private static void writeStaticKey(Path file) throws IOException {
        StringBuilder s = new StringBuilder("#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n");
        byte[] line = new byte[16];
        for (int i = 0; i < 16; i++) {
            RANDOM.nextBytes(line);
            s.append(HexFormat.of().formatHex(line)).append('\n');
        }
        write(file, s.append("-----END OpenVPN Static key V1-----\n").toString(), true);
    }

    private static void write(Path file, String text, boolean secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
