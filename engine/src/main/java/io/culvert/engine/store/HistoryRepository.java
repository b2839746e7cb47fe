package io.culvert.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Connection history per profile. Thread-safe; each method is one transaction. */
public final class HistoryRepository {
    private final Db db;

    HistoryRepository(Db db) {
        this.db = db;
    }

    /** Records a connection start and marks the profile used; returns the record's id for {@link #ended}. */
    public long started(String profileName, Instant at) {
        return db.tx(c -> {
            long profileId = Sql.profileId(c, profileName);
            Sql.update(c, "UPDATE profile SET last_used_at = ? WHERE id = ?", at, profileId);
            return Sql.insert(c, "INSERT INTO connection_history (profile_id, started_at) VALUES (?, ?)", profileId, at);
        });
    }

    /** Records how connection {@code id} ended. */
    public void ended(long id, Instant at, String reason, long bytesIn, long bytesOut) {
        db.tx(c -> {
            int rows = Sql.update(c, "UPDATE connection_history SET ended_at = ?, reason = ?, bytes_in = ?, bytes_out = ? WHERE id = ?",
                    at, reason, bytesIn, bytesOut, id);
            if (rows == 0) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "no connection record " + id);
            }
            return rows;
        });
    }

    /** The latest {@code limit} connections of the profile, newest first. */
    public List<ConnectionRecord> recent(String profileName, int limit) {
        return db.tx(c -> {
            List<ConnectionRecord> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT h.id, h.started_at, h.ended_at, h.reason, h.bytes_in, h.bytes_out"
                    + " FROM connection_history h JOIN profile p ON p.id = h.profile_id WHERE p.name = ?"
                    + " ORDER BY h.started_at DESC, h.id DESC LIMIT ?", profileName, limit); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ConnectionRecord(rs.getLong("id"), profileName, Sql.instant(rs, "started_at"),
                            Sql.instant(rs, "ended_at"), rs.getString("reason"), rs.getLong("bytes_in"), rs.getLong("bytes_out")));
                }
            }
            return out;
        });
    }
}
