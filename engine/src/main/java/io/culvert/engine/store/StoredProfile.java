package io.culvert.engine.store;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A client profile as stored: the imported {@code .ovpn} text is the source of truth and the typed model
 * is parsed from it on demand. {@code lastUsedAt} is null until the first connection. Immutable.
 */
public record StoredProfile(long id, String name, String text, boolean autoConnect,
        Instant createdAt, Instant updatedAt, Instant lastUsedAt) {

    public StoredProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The directive model of the text. */
    public OvpnFile ovpn() throws OvpnParseException {
        return OvpnFile.parse(text);
    }

    /** The typed client view; relative file names resolve against {@code baseDir} (inline profiles need none). */
    public ClientConfig clientConfig(Path baseDir, boolean ignoreUnknown) throws OvpnParseException {
        return ClientConfig.from(ovpn(), baseDir, ignoreUnknown);
    }

    /** The text with private keys, static keys and inline passwords hidden (see {@link ProfileRedaction}). */
    public String redactedText() {
        return ProfileRedaction.redact(text);
    }

    @Override
    public String toString() {
        return "StoredProfile[" + id + ", " + name + ", " + text.length() + " chars, autoConnect=" + autoConnect + "]";
    }
}
