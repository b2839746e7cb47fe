package io.culvert.engine.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code crl-verify FILE}: a CRL file that is re-read when it changes (modification time, size or inode, so an
 * atomic replace is always seen), as OpenVPN re-reads it. A file that becomes unreadable or invalid fails
 * closed for new checks, like OpenVPN, until a valid CRL is back. Thread-safe.
 */
public final class CrlFile implements Revocation {
    private static final Logger LOG = LoggerFactory.getLogger(CrlFile.class);
    /** Largest CRL accepted (OpenVPN has no limit; this one guards the server against a runaway file). */
    private static final long MAX_BYTES = 64L << 20;

    private final Path file;
    private final List<X509Certificate> issuers;
    private Stamp stamp;
    private Revocation current;
    private String problem;
    private long generation;

    private record Stamp(long modifiedNanos, long size, Object fileKey) {}

    private CrlFile(Path file, List<X509Certificate> issuers) {
        this.file = file;
        this.issuers = List.copyOf(issuers);
    }

    /** Loads {@code file}; fails when it cannot be read or is no valid CRL of {@code issuers}. */
    static CrlFile load(Path file, List<X509Certificate> issuers) throws IOException {
        CrlFile f = new CrlFile(file, issuers);
        f.stamp = stamp(file);
        f.current = read(file, issuers);
        return f;
    }

    public Path file() {
        return file;
    }

    @Override
    public void check(X509Certificate leaf) throws CertificateException {
        refresh();
        Revocation r;
        String why;
        synchronized (this) {
            r = current;
            why = problem;
        }
        if (r == null) {
            throw new CertificateException("CRL " + file + " is unusable (" + why + "); refusing until it is fixed");
        }
        r.check(leaf);
    }

    @Override
    public synchronized long refresh() {
        Stamp now;
        try {
            now = stamp(file);
        } catch (IOException e) {
            now = null;
        }
        if (now != null && now.equals(stamp)) {
            return generation;
        }
        if (now == null && stamp == null) {
            return generation;
        }
        stamp = now;
        try {
            if (now == null) {
                throw new IOException("cannot read " + file);
            }
            current = read(file, issuers);
            problem = null;
            generation++;
            LOG.info("Re-read CRL {}", file);
        } catch (IOException e) {
            current = null;
            problem = e.getMessage();
            LOG.warn("CRL {} is unusable, new clients are refused: {}", file, e.getMessage());
        }
        return generation;
    }

    private static Stamp stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(), a.fileKey());
    }

    private static Revocation read(Path file, List<X509Certificate> issuers) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
        }
        return Revocation.crls(Files.readString(file, StandardCharsets.ISO_8859_1), issuers);
    }

    @Override
    public String toString() {
        return "CrlFile[" + file + "]";
    }
}
