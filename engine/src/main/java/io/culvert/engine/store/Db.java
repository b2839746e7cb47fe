package io.culvert.engine.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite connection and the transaction discipline every repository uses: each unit of work runs
 * in its own transaction, committed on success and rolled back on any exception. Thread-safe: units of
 * work are serialised by a lock.
 */
final class Db implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Db(Connection connection) {
        this.connection = connection;
    }

    static Db open(String jdbcUrl) throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=5000");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new Db(c);
    }

    /** Work that reads or writes through the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; SQL failures become {@link StoreException}s of kind IO or DUPLICATE. */
    <T> T tx(Work<T> work) {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback();
                if (e instanceof SQLException sql) {
                    throw translate(sql);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            lock.unlock();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }

    private static StoreException translate(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("UNIQUE constraint failed") || msg.contains("PRIMARY KEY constraint failed")) {
            return new StoreException(StoreException.Kind.DUPLICATE, "already exists (" + msg + ")", e);
        }
        return new StoreException(StoreException.Kind.IO, "database error: " + msg, e);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the database failed: {}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
