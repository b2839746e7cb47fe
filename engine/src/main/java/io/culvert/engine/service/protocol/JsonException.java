package io.culvert.engine.service.protocol;

/** Malformed or over-limit JSON, or a message missing a field it needs. */
public final class JsonException extends Exception {
    public JsonException(String message) {
        super(message);
    }
}
