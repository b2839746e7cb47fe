package io.culvert.engine.tls;

import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Revoked certificate serials kept up to date by their owner (a fleet's revocations, read from its database; ADR
 * 0055), checked at the TLS verify like {@code crl-verify}'s directory form: a client whose serial is in the set is
 * refused, and a server drops the connected ones when {@link #refresh()} changes. The owner may also close the door to
 * new clients while it cannot vouch for the set ({@link #refuseNew}); clients already connected are not affected.
 * Thread-safe: any thread may update it while the server's threads check.
 */
public final class RevokedSerials implements Revocation {
    private volatile Set<BigInteger> serials = Set.of();
    private volatile String refuseNew;
    private final AtomicLong stamp = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();

    /** Replaces the whole set (a re-read); the stamp changes only when the set does. */
    public void replace(Collection<BigInteger> all) {
        Set<BigInteger> next = Set.copyOf(all);
        lock.lock();
        try {
            if (!next.equals(serials)) {
                serials = next;
                stamp.incrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds one serial (a notification); true when it was new. */
    public boolean add(BigInteger serial) {
        lock.lock();
        try {
            if (serials.contains(serial)) {
                return false;
            }
            Set<BigInteger> next = new HashSet<>(serials);
            next.add(serial);
            serials = Set.copyOf(next);
            stamp.incrementAndGet();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The serials revoked now. */
    public Set<BigInteger> serials() {
        return serials;
    }

    /**
     * Refuses every new client with {@code reason} (the set is too old to vouch for), or accepts them again when
     * {@code reason} is null.
     */
    public void refuseNew(String reason) {
        refuseNew = reason;
    }

    /** Why new clients are refused now, or null when they are not. */
    public String refusingNew() {
        return refuseNew;
    }

    @Override
    public void check(X509Certificate leaf) throws CertificateException {
        checkConnected(leaf);
        String why = refuseNew;
        if (why != null) {
            throw new CertificateException(why);
        }
    }

    @Override
    public void checkConnected(X509Certificate leaf) throws CertificateException {
        BigInteger serial = leaf.getSerialNumber();
        if (serials.contains(serial)) {
            throw new CertificateException("certificate serial " + serial + " is revoked (fleet)");
        }
    }

    @Override
    public long refresh() {
        return stamp.get();
    }
}
