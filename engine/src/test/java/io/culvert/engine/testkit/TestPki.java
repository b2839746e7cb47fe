package io.culvert.engine.testkit;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PKI in one directory: the {@link PkiMaterial} (CA, server and client certificates, tls-auth, tls-crypt
 * and tls-crypt-v2 keys) written to files, private keys owner-only. Immutable once created.
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
    private final Path dir;
    private final PkiMaterial material;

    private TestPki(Path dir, PkiMaterial material) {
        this.dir = dir;
        this.material = material;
    }

    /** Creates an EC P-256 PKI in {@code dir}. */
    public static TestPki create(Path dir) {
        return create(dir, KeyType.EC_P256);
    }

    /** Creates a PKI in {@code dir} (created if needed): ca.crt, server/client .crt/.key, ta.key, tc.key, tcv2 keys. */
    public static TestPki create(Path dir, KeyType type) {
        try {
            Files.createDirectories(dir);
            TestPki pki = new TestPki(dir, PkiMaterial.generate(type == KeyType.RSA_2048 ? TestCertificates::rsa
                    : TestCertificates::ec));
            PkiMaterial m = pki.material;
            writeCert(pki.ca(), m.ca().cert());
            writeIdentity(pki.serverCert(), pki.serverKey(), m.server());
            writeIdentity(pki.clientCert(), pki.clientKey(), m.client());
            write(pki.taKey(), m.tlsAuthKey().toFileText(), true);
            write(pki.tcKey(), m.tlsCryptKey().toFileText(), true);
            Files.writeString(pki.tcV2ServerKey(), m.tlsCryptV2ServerKey().toPem(), StandardCharsets.US_ASCII);
            writeTlsCryptV2Client(pki.tcV2ClientKey(), m.tlsCryptV2ServerKey());
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build test PKI", e);
        }
    }

    /** The certificates and keys behind the files. */
    public PkiMaterial material() {
        return material;
    }

    /**
     * Issues another client certificate with common name {@code cn} from this PKI's CA, written to
     * {@code <cn>.crt} and {@code <cn>.key}; returns {cert, key}.
     */
    public Path[] issueClient(String cn) {
        return issueClient(cn, material.ca(), cn, PkiMaterial.VALIDITY);
    }

    /**
     * Issues another client certificate with common name {@code cn}, valid from a day ago for {@code validity} from now,
     * written to {@code <file>.crt} and {@code <file>.key}; returns {cert, key}.
     */
    public Path[] issueClient(String cn, String file, Duration validity) {
        checkName(file);
        return issueClient(cn, material.ca(), file, validity);
    }

    /**
     * Writes a CRL signed by this PKI's CA to {@code file}, listing the certificates in {@code revoked} (PEM files);
     * none gives an empty CRL.
     */
    public Path writeCrl(Path file, Path... revoked) {
        return writeCrl(material.ca(), file, revoked);
    }

    /** Issues an intermediate CA {@code cn} from this PKI's CA, its certificate written to {@code <cn>.crt}. */
    public Intermediate issueIntermediate(String cn) {
        checkName(cn);
        try {
            PkiMaterial.Identity id = material.issueIntermediate(cn);
            Path file = dir.resolve(cn + ".crt");
            writeCert(file, id.cert());
            return new Intermediate(file, id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue intermediate CA " + cn, e);
        }
    }

    /** An intermediate CA of the PKI: its certificate, and the client certificates and CRLs it signs. */
    public final class Intermediate {
        private final Path cert;
        private final PkiMaterial.Identity identity;

        private Intermediate(Path cert, PkiMaterial.Identity identity) {
            this.cert = cert;
            this.identity = identity;
        }

        /** The intermediate's certificate (PEM), signed by the PKI's CA. */
        public Path cert() {
            return cert;
        }

        /** Like {@link TestPki#issueClient}, signed by this intermediate. */
        public Path[] issueClient(String cn) {
            return TestPki.this.issueClient(cn, identity, cn, PkiMaterial.VALIDITY);
        }

        /** Like {@link TestPki#writeCrl}, signed by this intermediate. */
        public Path writeCrl(Path file, Path... revoked) {
            return TestPki.this.writeCrl(identity, file, revoked);
        }
    }

    /**
     * A web server certificate (serverAuth) for {@code name}, a DNS name or an IP address, in its subject alternative
     * names, as a browser or {@code wss} client checks it; written to {@code <file>.crt} and {@code <file>.key}.
     */
    public Path[] issueWebServer(String file, String name) {
        checkName(file);
        return writeIdentity(file, material.issueWebServer(name), "web server certificate " + name);
    }

    private static void checkName(String cn) {
        if (!cn.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("unsafe common name " + cn);
        }
    }

    private Path[] issueClient(String cn, PkiMaterial.Identity issuer, String file, Duration validity) {
        checkName(cn);
        return writeIdentity(file, material.issueClient(cn, issuer, validity), "client certificate " + cn);
    }

    private Path[] writeIdentity(String file, PkiMaterial.Identity id, String what) {
        try {
            Path[] files = {dir.resolve(file + ".crt"), dir.resolve(file + ".key")};
            writeIdentity(files[0], files[1], id);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue " + what, e);
        }
    }

    private Path writeCrl(PkiMaterial.Identity issuer, Path file, Path... revoked) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<BigInteger> serials = new ArrayList<>();
            for (Path cert : revoked) {
                try (InputStream in = Files.newInputStream(cert)) {
                    serials.add(((X509Certificate) cf.generateCertificate(in)).getSerialNumber());
                }
            }
            write(file, TestCertificates.pem("X509 CRL",
                    TestCertificates.crl(issuer.name(), issuer.keys(), serials).getEncoded()), false);
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
        return TestCertificates.pem("PRIVATE KEY", material.ca().keys().getPrivate().getEncoded());
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
        byte[] metadata = ByteBuffer.allocate(9).put((byte) 1).putLong(System.currentTimeMillis() / 1000).array();
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

    private static void writeCert(Path file, X509Certificate cert) throws IOException, GeneralSecurityException {
        write(file, TestCertificates.pem("CERTIFICATE", cert.getEncoded()), false);
    }

    private static void writeIdentity(Path cert, Path key, PkiMaterial.Identity id)
            throws IOException, GeneralSecurityException {
        writeCert(cert, id.cert());
        write(key, TestCertificates.pem("PRIVATE KEY", id.keys().getPrivate().getEncoded()), true);
    }

    private static void write(Path file, String text, boolean secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
