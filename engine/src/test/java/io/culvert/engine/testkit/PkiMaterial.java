package io.culvert.engine.testkit;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The certificates and keys of a throwaway test PKI, in memory, and the one code path that issues them: a CA
 * ({@code CN=Culvert Test CA}), a server ({@code CN=server}, serverAuth) and a client ({@code CN=client}, clientAuth)
 * certificate, a tls-auth, a tls-crypt and a tls-crypt-v2 server key; further client, intermediate and web server
 * certificates on demand. {@link TestPki} writes it to files, {@link MemoryPki} hands it to TLS settings. Every
 * certificate has critical key usage and key identifiers and is valid from a day ago for {@link #VALIDITY}.
 * Immutable apart from issuing.
 */
public final class PkiMaterial {

    /** How long a certificate of the PKI is valid. */
    public static final Duration VALIDITY = Duration.ofDays(730);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final X500Principal CA_NAME = new X500Principal("CN=Culvert Test CA");

    /** A certificate and its key pair. */
    public record Identity(X500Principal name, X509Certificate cert, KeyPair keys) {}

    private final Supplier<KeyPair> keyPairs;
    private final Identity ca;
    private final Identity server;
    private final Identity client;
    private final StaticKey tlsAuthKey;
    private final StaticKey tlsCryptKey;
    private final TlsCryptV2ServerKey tlsCryptV2ServerKey;

    private PkiMaterial(Supplier<KeyPair> keyPairs) {
        this.keyPairs = keyPairs;
        KeyPair caKeys = keyPairs.get();
        ca = new Identity(CA_NAME, issue(CA_NAME, caKeys, CA_NAME, caKeys, true, null,
                KeyUsage.keyCertSign | KeyUsage.cRLSign, null, VALIDITY), caKeys);
        server = issue("server", ca, KeyPurposeId.id_kp_serverAuth,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement, null, VALIDITY);
        client = issueClient("client", ca, VALIDITY);
        tlsAuthKey = StaticKey.generate(RANDOM);
        tlsCryptKey = StaticKey.generate(RANDOM);
        tlsCryptV2ServerKey = TlsCryptV2ServerKey.generate(RANDOM);
    }

    /** A PKI whose every key pair comes from {@code keyPairs} ({@link TestCertificates#ec} or {@link TestCertificates#rsa}). */
    public static PkiMaterial generate(Supplier<KeyPair> keyPairs) {
        return new PkiMaterial(keyPairs);
    }

    /** A client certificate (clientAuth) for common name {@code cn}, signed by {@code issuer}, valid for {@code validity}. */
    public Identity issueClient(String cn, Identity issuer, Duration validity) {
        return issue(cn, issuer, KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature, null, validity);
    }

    /** An intermediate CA {@code cn} signed by the root CA. */
    public Identity issueIntermediate(String cn) {
        X500Principal name = new X500Principal("CN=" + cn);
        KeyPair keys = keyPairs.get();
        return new Identity(name, issue(name, keys, CA_NAME, ca.keys(), true, null,
                KeyUsage.keyCertSign | KeyUsage.cRLSign, null, VALIDITY), keys);
    }

    /** A web server certificate (serverAuth) for {@code name}, a DNS name or an IP address, in its subject alternative names. */
    public Identity issueWebServer(String name) {
        boolean ip = name.matches("[0-9.]+") || name.contains(":");
        GeneralNames san = new GeneralNames(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
        return issue(name, ca, KeyPurposeId.id_kp_serverAuth, KeyUsage.digitalSignature | KeyUsage.keyEncipherment, san,
                VALIDITY);
    }

    private Identity issue(String cn, Identity issuer, KeyPurposeId eku, int keyUsage, GeneralNames san, Duration validity) {
        X500Principal name = new X500Principal("CN=" + cn);
        KeyPair keys = keyPairs.get();
        return new Identity(name, issue(name, keys, issuer.name(), issuer.keys(), false, eku, keyUsage, san, validity), keys);
    }

    private static X509Certificate issue(X500Principal subject, KeyPair subjectKeys, X500Principal issuer,
            KeyPair issuerKeys, boolean isCa, KeyPurposeId eku, int keyUsage, GeneralNames san, Duration validity) {
        TestCertificates.Builder b = TestCertificates.signedBy(issuer, issuerKeys).subject(subject, subjectKeys).ca(isCa)
                .keyUsage(keyUsage).keyIdentifiers().validFor(validity).san(san);
        return (isCa ? b : b.eku(eku)).issue();
    }

    /** The root CA. */
    public Identity ca() {
        return ca;
    }

    /** The server's identity, {@code CN=server}. */
    public Identity server() {
        return server;
    }

    /** The client's identity, {@code CN=client}. */
    public Identity client() {
        return client;
    }

    public StaticKey tlsAuthKey() {
        return tlsAuthKey;
    }

    public StaticKey tlsCryptKey() {
        return tlsCryptKey;
    }

    public TlsCryptV2ServerKey tlsCryptV2ServerKey() {
        return tlsCryptV2ServerKey;
    }
}
