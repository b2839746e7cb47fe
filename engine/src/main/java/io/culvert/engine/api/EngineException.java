package io.culvert.engine.api;

/** A failure that crosses the engine API, classified by {@link ErrorKind}. */
public class EngineException extends Exception {
    private final ErrorKind kind;
    private final String detail;

    public EngineException(ErrorKind kind, String detail) {
        this(kind, detail, null);
    }

    public EngineException(ErrorKind kind, String detail, Throwable cause) {
        super(kind + ": " + detail, cause);
        this.kind = kind;
        this.detail = detail;
    }

    /** What went wrong, without the kind that {@link #getMessage()} starts with. */
    public String detail() {
        return detail;
    }

    public ErrorKind kind() {
        return kind;
    }
}
