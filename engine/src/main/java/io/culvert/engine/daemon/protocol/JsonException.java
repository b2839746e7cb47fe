package io.culvert.engine.daemon.protocol;

/** Malformed or over-limit JSON; its subclass {@link MessageException} is well-formed JSON that is not a valid message. */
public class JsonException extends Exception {
    public JsonException(String message) {
        super(message);
    }
}
