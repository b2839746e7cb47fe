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

    /** tls-crypt-v2 as a client: tls-crypt with Kc, WKc appended to the first packets. */
    static ControlWrapSpec tlsCryptV2Client(TlsCryptV2ClientKey key) {
        return new TlsCryptV2Client(key);
    }

    /** tls-crypt-v2 as a server; {@code maxAgeDays} > 0 refuses client keys older than that (tls-crypt-v2-max-age). */
    static ControlWrapSpec tlsCryptV2Server(TlsCryptV2ServerKey key, int maxAgeDays) {
        return new TlsCryptV2Server(key, maxAgeDays);
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

    /** tls-crypt-v2, client side: Kc protects the control channel, WKc rides on the reset and the first P_CONTROL. */
    record TlsCryptV2Client(TlsCryptV2ClientKey key) implements ControlWrapSpec {
        public TlsCryptV2Client {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public ControlWrap newSession(boolean isServer, InstantSource clock, int replayWindow, int replaySeconds) {
            if (isServer) {
                throw new IllegalArgumentException("a tls-crypt-v2 client key is for clients");
            }
            return new TlsCryptV2ClientWrap(new TlsCryptWrap(key.key(), KeyDirection.INVERSE,
                    new ReplayIds(clock, TlsCryptV2ClientWrap.EARLY_NEG_START),
                    new ReplayWindow(replayWindow, replaySeconds, clock)), key.wkc());
        }
    }

    /** tls-crypt-v2, server side: each client's own Kc, unwrapped from the WKc it sends. */
    record TlsCryptV2Server(TlsCryptV2ServerKey key, int maxAgeDays) implements ControlWrapSpec {
        public TlsCryptV2Server {
            Objects.requireNonNull(key, "key");
            if (maxAgeDays < 0) {
                throw new IllegalArgumentException("max age must not be negative");
            }
        }

        @Override
        public ControlWrap newSession(boolean isServer, InstantSource clock, int replayWindow, int replaySeconds) {
            if (!isServer) {
                throw new IllegalArgumentException("a tls-crypt-v2 server key is for servers");
            }
            return new TlsCryptV2ServerWrap(key, maxAgeDays, false, clock, replayWindow, replaySeconds);
        }

        /**
         * A wrap for the stateless UDP cookie exchange: every WKc re-keys it (the reply to a reset goes out under that
         * reset's Kc), and packets without a WKc are dropped.
         */
        public ControlWrap newStateless(InstantSource clock) {
            return new TlsCryptV2ServerWrap(key, maxAgeDays, true, clock, ReplayWindow.DEFAULT_SIZE, ReplayWindow.DEFAULT_SECONDS);
        }
    }
}
