package io.culvert.engine.pki;

import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.crypto.StaticKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link PkiStore} in a folder laid out like easy-rsa's: {@code ca.crt}, {@code ca.key}, {@code issued/CN.crt},
 * {@code private/CN.key}, {@code index.txt} ({@link IndexFile}), {@code crl.pem}, {@code tc.key}, {@code ta.key}.
 * Folders are 0700, keys 0600, certificates and the CRL 0644; every write replaces its file atomically.
 * Not thread-safe: one process administers a PKI at a time.
 */
public final class DirectoryPkiStore implements PkiStore {
    private final Path root;

    public DirectoryPkiStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path caCertificateFile() {
        return root.resolve("ca.crt");
    }

    public Path caKeyFile() {
        return root.resolve("ca.key");
    }

    public Path certificateFile(String commonName) {
        return root.resolve("issued").resolve(fileName(commonName) + ".crt");
    }

    public Path privateKeyFile(String commonName) {
        return root.resolve("private").resolve(fileName(commonName) + ".key");
    }

    public Path indexFile() {
        return root.resolve("index.txt");
    }

    /** The file a server's {@code crl-verify} points at. */
    public Path crlFile() {
        return root.resolve("crl.pem");
    }

    public Path staticKeyFile(StaticKeyKind kind) {
        return root.resolve(kind == StaticKeyKind.TLS_CRYPT ? "tc.key" : "ta.key");
    }

    @Override
    public boolean hasCa() {
        return Files.exists(caCertificateFile()) && Files.exists(caKeyFile());
    }

    @Override
    public String caCertificate() throws IOException {
        return read(caCertificateFile()).orElseThrow(this::noCa);
    }

    @Override
    public String caKey() throws IOException {
        return read(caKeyFile()).orElseThrow(this::noCa);
    }

    private IOException noCa() {
        return new IOException("no CA in " + root + " (run 'culvert pki init' first)");
    }

    @Override
    public void saveCa(String certificatePem, String keyPem) throws IOException {
        PrivateFiles.createDirectory(root);
        PrivateFiles.writePrivate(caKeyFile(), keyPem);
        PrivateFiles.writePublic(caCertificateFile(), certificatePem);
    }

    @Override
    public Optional<String> certificate(String commonName) throws IOException {
        return read(certificateFile(commonName));
    }

    @Override
    public Optional<String> privateKey(String commonName) throws IOException {
        return read(privateKeyFile(commonName));
    }

    @Override
    public void saveIssued(String commonName, String certificatePem, String keyPem) throws IOException {
        PrivateFiles.createDirectory(root.resolve("private"));
        PrivateFiles.createDirectory(root.resolve("issued"));
        PrivateFiles.writePrivate(privateKeyFile(commonName), keyPem);
        PrivateFiles.writePublic(certificateFile(commonName), certificatePem);
    }

    @Override
    public List<IssuedCert> index() throws IOException {
        Optional<String> text = read(indexFile());
        return text.isEmpty() ? List.of() : IndexFile.parse(text.get());
    }

    @Override
    public void put(IssuedCert entry) throws IOException {
        List<IssuedCert> entries = new ArrayList<>(index());
        entries.removeIf(e -> e.serial().equals(entry.serial()));
        entries.add(entry);
        PrivateFiles.writePublic(indexFile(), IndexFile.format(entries));
    }

    @Override
    public Optional<String> crl() throws IOException {
        return read(crlFile());
    }

    @Override
    public void saveCrl(String pem) throws IOException {
        PrivateFiles.writePublic(crlFile(), pem);
    }

    @Override
    public Optional<StaticKey> staticKey(StaticKeyKind kind) throws IOException {
        Optional<String> text = read(staticKeyFile(kind));
        try {
            return text.map(StaticKey::parse);
        } catch (IllegalArgumentException e) {
            throw new IOException(staticKeyFile(kind) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveStaticKey(StaticKeyKind kind, StaticKey key) throws IOException {
        PrivateFiles.writePrivate(staticKeyFile(kind), key.toFileText());
    }

    private static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Names were validated by {@link Pki#checkCommonName}; this guards the file system once more. */
    private static String fileName(String commonName) {
        if (!Pki.isSafeCommonName(commonName)) {
            throw new IllegalArgumentException("unsafe common name for a file name: '" + commonName + "'");
        }
        return commonName;
    }

    @Override
    public String toString() {
        return "DirectoryPkiStore[" + root + "]";
    }
}
