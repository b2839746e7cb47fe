package io.culvert.engine.crypto;

import java.time.InstantSource;
import java.util.Objects;

/**
 * Immutable description of the configured control-channel protection; {@link #newSession} creates
 * the per-session state (replay counter and window).
 */
public sealed interface ControlWrapSpec {

    /** No wrapping (plain TLS_WRAP_NONE packets). */
    static ControlWrapSpec none() {
        return new None();
    }

    /** tls-auth with the configured key direction and {@code --auth} digest ("SHA1", "SHA256", …). */
    static ControlWrapSpec tlsAuth(StaticKey key, KeyDirection dir, String digest) {
        AuthDigest d = AuthDigest.byName(digest)
                .orElseThrow(() -> new IllegalArgumentException("unknown tls-auth digest '" + digest + "'"));
        return new TlsAuth(key, dir, d);
    }

    /** tls-crypt (v1); the key direction is fixed by role (server NORMAL, client INVERSE). */
    static ControlWrapSpec tlsCrypt(StaticKey key) {
        return new TlsCrypt(key);
    }

    /** Fresh per-session state with the default replay window (64 ids, 15 s). */
    default ControlWrap newSession(boolean isServer, InstantSource clock) {
        return newSession(isServer, clock, ReplayWindow.DEFAULT_SIZE, ReplayWindow.DEFAULT_SECONDS);
    }

    /** Fresh per-session state with a {@code --replay-window n t} setting. */
    ControlWrap newSession(boolean isServer, InstantSource clock, int replayWindow, int replaySeconds);

    /** No control-channel protection. */
    record None() implements ControlWrapSpec {
        @Override
        public ControlWrap newSession(boolean isServer, InstantSource clock, int replayWindow, int replaySeconds) {
            return NoControlWrap.INSTANCE;
        }
    }

    /** tls-auth: HMAC over the packet with the configured direction and digest. */
    record TlsAuth(StaticKey key, KeyDirection direction, AuthDigest digest) implements ControlWrapSpec {
        public TlsAuth {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(direction, "direction");
            if (Objects.requireNonNull(digest, "digest") == AuthDigest.NONE) {
                throw new IllegalArgumentException("tls-auth needs a digest, not 'none'");
            }
        }

        @Override
        public ControlWrap newSession(boolean isServer, InstantSource clock, int replayWindow, int replaySeconds) {
            return new TlsAuthWrap(key, direction, digest, new ReplayIds(clock),
                    new ReplayWindow(replayWindow, replaySeconds, clock));
        }
    }

    /** tls-crypt v1: AES-256-CTR encryption plus HMAC-SHA256 tag. */
    record TlsCrypt(StaticKey key) implements ControlWrapSpec {
        public TlsCrypt {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public ControlWrap newSession(boolean isServer, InstantSource clock, int replayWindow, int replaySeconds) {
            KeyDirection dir = isServer ? KeyDirection.NORMAL : KeyDirection.INVERSE;
            return new TlsCryptWrap(key, dir, new ReplayIds(clock), new ReplayWindow(replayWindow, replaySeconds, clock));
        }
    }
}
