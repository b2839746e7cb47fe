package io.culvert.engine.api;

import java.util.Optional;

/** The app's remembered settings as string key/value pairs, kept in the store. Implementations are thread-safe. */
public interface AppSettings {
    Optional<String> get(String key);

    /** Sets {@code key}; keys are 1-128 printable characters. */
    void put(String key, String value);
}
