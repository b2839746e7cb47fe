package io.culvert.engine.api;

/** A profile operation that could not be done; nothing was changed. */
public final class ProfileException extends RuntimeException {
    private final Kind kind;

    public ProfileException(Kind kind, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Why the operation failed. */
    public enum Kind {
        /** No profile of that name. */
        NOT_FOUND,
        /** Another profile has that name. */
        DUPLICATE,
        /** The name or the text was refused (the message says which line and why). */
        INVALID,
        /** No keyring is running and the user did not allow the encrypted file. */
        NO_SECRET_STORAGE,
        /** The keyring or the key file failed. */
        SECRET_STORAGE_FAILED,
        /** Reading or writing a file or the database failed. */
        IO
    }
}
