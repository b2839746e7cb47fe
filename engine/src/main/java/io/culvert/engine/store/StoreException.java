package io.culvert.engine.store;

/** A store operation that could not be done; the database is as it was before the call. */
public final class StoreException extends RuntimeException {
    private final Kind kind;

    public StoreException(Kind kind, String message) {
        this(kind, message, null);
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Why the operation failed. */
    public enum Kind {
        /** The named row does not exist. */
        NOT_FOUND,
        /** A row with the same name or key already exists. */
        DUPLICATE,
        /** The value was refused (empty name, private key in a certificate, text too large ...). */
        INVALID,
        /** No keyring is running and the user did not opt in to the encrypted file. */
        NO_SECRET_STORAGE,
        /** The keyring or the key file failed. */
        SECRET_STORAGE_FAILED,
        /** The database refused the login's role this operation (a fleet server's role writing what it may not). */
        DENIED,
        /** The database or its files failed. */
        IO
    }
}
