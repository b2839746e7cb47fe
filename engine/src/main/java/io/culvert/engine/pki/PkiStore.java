package io.culvert.engine.pki;

import io.culvert.engine.crypto.StaticKey;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link Pki} keeps its state: the CA, issued certificates and their keys, the index, the CRL and the
 * static keys. All material crosses this interface as PEM or key-file text, so a file tree
 * ({@link DirectoryPkiStore}) and a database can back it alike. Implementations keep private keys readable by
 * the owner only, and each {@code save}/{@code put} is atomic.
 */
public interface PkiStore {

    /** The OpenVPN static keys a PKI holds. */
    enum StaticKeyKind {
        /** {@code tls-crypt} key ({@code tc.key}). */
        TLS_CRYPT,
        /** {@code tls-auth} key ({@code ta.key}). */
        TLS_AUTH
    }

    boolean hasCa() throws IOException;

    /** The CA certificate (PEM); fails when there is no CA. */
    String caCertificate() throws IOException;

    /** The CA private key (PEM); fails when there is no CA. */
    String caKey() throws IOException;

    void saveCa(String certificatePem, String keyPem) throws IOException;

    /** The current certificate issued to {@code commonName}. */
    Optional<String> certificate(String commonName) throws IOException;

    /** The private key belonging to {@link #certificate}. */
    Optional<String> privateKey(String commonName) throws IOException;

    /** Stores (replacing) the current certificate and key of {@code commonName}. */
    void saveIssued(String commonName, String certificatePem, String keyPem) throws IOException;

    /** Every certificate the CA issued, oldest first. */
    List<IssuedCert> index() throws IOException;

    /** Adds {@code entry}, or replaces the entry with the same serial. */
    void put(IssuedCert entry) throws IOException;

    Optional<String> crl() throws IOException;

    void saveCrl(String pem) throws IOException;

    Optional<StaticKey> staticKey(StaticKeyKind kind) throws IOException;

    void saveStaticKey(StaticKeyKind kind, StaticKey key) throws IOException;
}
