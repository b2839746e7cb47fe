package io.culvert.engine.api;

/** A failure that crosses the engine API, classified by {@link ErrorKind}. */
public class EngineException extends Exception {
    private final ErrorKind kind;

    public EngineException(ErrorKind kind, String detail) {
        this(kind, detail, null);
    }

    public EngineException(ErrorKind kind, String detail, Throwable cause) {
        super(kind + ": " + detail, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
