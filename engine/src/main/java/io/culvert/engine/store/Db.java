package io.culvert.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection (SQLite or PostgreSQL, see {@link Dialect}) and the transaction discipline every repository
 * uses: each unit of work runs in its own transaction, committed on success and rolled back on any exception.
 * A PostgreSQL connection that was lost is opened again by the next unit of work. Thread-safe: units of work
 * are serialised by a lock.
 */
final class Db implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);

    private final Dialect dialect;
    private final Connector connector;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection; // guarded by lock; null after a lost connection

    /** Opens a connection to the database. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private Db(Dialect dialect, Connector connector, Connection connection) {
        this.dialect = dialect;
        this.connector = connector;
        this.connection = connection;
    }

    static Db open(Dialect dialect, Connector connector) throws SQLException {
        return new Db(dialect, connector, connect(dialect, connector));
    }

    private static Connection connect(Dialect dialect, Connector connector) throws SQLException {
        Connection c = connector.connect();
        try {
            dialect.configure(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A connection of its own (for LISTEN), set up like the shared one; the caller closes it. */
    Connection openSeparate() throws SQLException {
        return connect(dialect, connector);
    }

    Dialect dialect() {
        return dialect;
    }

    /** Work that reads or writes through the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Attempts of one transaction the database aborted to break a deadlock or a serialization conflict. */
    private static final int ATTEMPTS = 5;
    /** The longest random pause before running an aborted transaction again, times the attempt number. */
    private static final int BACKOFF_MILLIS = 20;

    /**
     * Runs {@code work} in one transaction; SQL failures become {@link StoreException}s of kind IO or DUPLICATE. A
     * transaction the database aborted to break a deadlock or a serialization conflict (two fleet servers claiming
     * overlapping pools at once: each waits on the other's row in the exclusion constraint) is rolled back whole and
     * run again after a short random pause (two that retried at once would deadlock again in step), so the loser then
     * sees the winner's row and gets the ordinary answer.
     */
    <T> T tx(Work<T> work) {
        lock.lock();
        try {
            if (connection == null) {
                connection = connect(dialect, connector);
            }
            Connection c = connection;
            c.setAutoCommit(false);
            try {
                for (int attempt = 1; ; attempt++) {
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException e) {
                        if (attempt >= ATTEMPTS || !("40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState()))) {
                            throw e;
                        }
                        rollback(c);
                        LOG.debug("transaction aborted by the database ({}); running it again", e.getMessage());
                        pause(attempt);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                if (e instanceof SQLException sql) {
                    throw translate(sql);
                }
                throw e;
            } finally {
                if (connection != null) {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            lock.unlock();
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(BACKOFF_MILLIS * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }

    private StoreException translate(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        if (dialect.isDuplicate(e)) {
            return new StoreException(StoreException.Kind.DUPLICATE, "already exists (" + msg + ")", e);
        }
        if (dialect.isInvalidValue(e)) {
            return new StoreException(StoreException.Kind.INVALID, "refused by the database: " + msg, e);
        }
        if (dialect.isDenied(e)) {
            return new StoreException(StoreException.Kind.DENIED, "the database role may not do this (" + msg + ")", e);
        }
        if (dialect.isConnectionLost(e) && connection != null) {
            LOG.warn("database connection lost ({}); the next call reconnects", msg);
            closeQuietly(connection);
            connection = null;
        }
        return new StoreException(StoreException.Kind.IO, "database error: " + msg, e);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a lost connection: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (SQLException e) {
            LOG.warn("closing the database failed: {}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
