package io.culvert.engine.store;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The register of client certificates issued per server, which the PKI writes when it issues and
 * revokes, and reads to build the CRL. Serials are unique per server. Thread-safe; each method is one transaction.
 */
public final class CertificateRepository {
    private static final String SELECT = "SELECT s.name AS server_name, c.serial, c.common_name, c.not_before, c.not_after,"
            + " c.revoked_at, c.cert_pem FROM issued_certificate c JOIN server s ON s.id = c.server_id";

    private final Db db;

    CertificateRepository(Db db) {
        this.db = db;
    }

    /** Records a newly issued certificate; NOT_FOUND if the server does not exist, DUPLICATE if the serial is taken. */
    public IssuedCertificate add(IssuedCertificate cert) {
        return db.tx(c -> {
            long serverId = Sql.serverId(c, cert.serverName());
            Sql.update(c, "INSERT INTO issued_certificate (server_id, serial, common_name, not_before, not_after, revoked_at, cert_pem)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", serverId, cert.serial().toString(16), cert.commonName(),
                    cert.notBefore(), cert.notAfter(), cert.revokedAt(), cert.certPem());
            return cert;
        });
    }

    /**
     * Marks the certificate revoked at {@code when} and returns it; a certificate already revoked keeps its
     * first revocation time. NOT_FOUND if there is no such certificate.
     */
    public IssuedCertificate revoke(String serverName, BigInteger serial, Instant when) {
        return db.tx(c -> {
            long serverId = Sql.serverId(c, serverName);
            Sql.update(c, "UPDATE issued_certificate SET revoked_at = ? WHERE server_id = ? AND serial = ? AND revoked_at IS NULL",
                    when, serverId, serial.toString(16));
            return one(c, " WHERE s.name = ? AND c.serial = ?", serverName, serial.toString(16))
                    .orElseThrow(() -> new StoreException(StoreException.Kind.NOT_FOUND,
                            "no certificate with serial " + serial.toString(16) + " on server '" + serverName + "'"));
        });
    }

    public Optional<IssuedCertificate> find(String serverName, BigInteger serial) {
        return db.tx(c -> one(c, " WHERE s.name = ? AND c.serial = ?", serverName, serial.toString(16)));
    }

    /** Every certificate of the server, ordered by not-before then serial. */
    public List<IssuedCertificate> list(String serverName) {
        return db.tx(c -> many(c, " WHERE s.name = ? ORDER BY c.not_before, c.serial", serverName));
    }

    /** The certificates issued to {@code commonName}, oldest first (renewals give several). */
    public List<IssuedCertificate> byCommonName(String serverName, String commonName) {
        return db.tx(c -> many(c, " WHERE s.name = ? AND c.common_name = ? ORDER BY c.not_before, c.serial", serverName, commonName));
    }

    /** The revoked certificates of the server: the CRL's entries. */
    public List<IssuedCertificate> revoked(String serverName) {
        return db.tx(c -> many(c, " WHERE s.name = ? AND c.revoked_at IS NOT NULL ORDER BY c.revoked_at, c.serial", serverName));
    }

    private static Optional<IssuedCertificate> one(Connection c, String where, Object... args) throws SQLException {
        List<IssuedCertificate> all = many(c, where, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    private static List<IssuedCertificate> many(Connection c, String where, Object... args) throws SQLException {
        List<IssuedCertificate> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, SELECT + where, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new IssuedCertificate(rs.getString("server_name"), new BigInteger(rs.getString("serial"), 16),
                        rs.getString("common_name"), Sql.instant(rs, "not_before"), Sql.instant(rs, "not_after"),
                        Sql.instant(rs, "revoked_at"), rs.getString("cert_pem")));
            }
        }
        return out;
    }
}
