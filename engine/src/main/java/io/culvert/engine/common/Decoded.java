package io.culvert.engine.common;

/**
 * Result of decoding hostile input: either a value or the reason it was dropped. Decoders on the
 * packet path return this instead of throwing. Instances are immutable.
 */
public sealed interface Decoded<T> permits Decoded.Ok, Decoded.Dropped {

    record Ok<T>(T value) implements Decoded<T> {}

    record Dropped<T>(DropReason reason) implements Decoded<T> {}

    static <T> Decoded<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Decoded<T> drop(DropReason reason) {
        return new Dropped<>(reason);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; only valid when {@link #isOk()}. */
    default T value() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("dropped: " + ((Dropped<T>) this).reason());
    }

    /** The drop reason; only valid when not {@link #isOk()}. */
    default DropReason reason() {
        if (this instanceof Dropped<T> d) {
            return d.reason();
        }
        throw new IllegalStateException("not dropped");
    }
}
