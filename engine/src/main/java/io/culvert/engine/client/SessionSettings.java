package io.culvert.engine.client;

import io.culvert.engine.api.UserPass;
import io.culvert.engine.common.Mssfix;
import io.culvert.engine.config.DataOptions;
import io.culvert.engine.config.TlsTimers;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.protocol.AllowCompression;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.session.EndpointSettings;
import io.culvert.engine.tls.TlsSettings;
import java.util.List;

/**
 * What one client session needs, resolved from the profile and the chosen remote. Instances are immutable.
 *
 * @param tcp whether the transport is TCP (changes the options string and disables exit notification)
 * @param tap whether the device is a TAP device
 * @param tls TLS endpoint settings
 * @param wrap control-channel protection (none, tls-auth, tls-crypt, tls-crypt-v2)
 * @param dataCiphers ciphers we accept, in preference order
 * @param fallbackCipher cipher when the server pushes none, or null
 * @param auth digest for CBC data HMAC
 * @param credentials username/password to send, or null
 * @param ping keepalive interval (s) before the server pushes one; 0 = off
 * @param pingRestart restart timeout (s) before the server pushes one; 0 = off
 * @param renegSec renegotiate after this many seconds; 0 = never
 * @param handWindow seconds a handshake may take
 * @param tlsTimeout control retransmit initial timeout (s)
 * @param tunMtu configured tun-mtu
 * @param mssfix the configured {@code mssfix}, or null for OpenVPN's default ({@link Mssfix#effective})
 * @param explicitExitNotify exit notification count (0 = off)
 * @param compLzo true when the profile says comp-lzo (for the options string)
 * @param keyDirection tls-auth key direction for the options string, or null
 * @param tlsAuth whether tls-auth protects the control channel (for the options string)
 * @param pullFilters pull-filter rules, in order: each [action, text]
 * @param routeNopull ignore pushed routes
 * @param inactiveSeconds exit after this many seconds without tunnel traffic; 0 = off
 * @param inactiveBytes with {@code inactiveSeconds}: traffic below this many bytes does not count as activity
 * @param allowCompression {@code allow-compression}: which pushed compression is accepted (and decompressed)
 * @param advertiseCompression whether peer-info offers real compression (IV_LZO, IV_LZ4…) instead of stubs only
 * @param configuredFraming the framing the profile's own comp-lzo/compress asks for; a pushed one replaces it
 */
public record SessionSettings(
        boolean tcp,
        boolean tap,
        TlsSettings tls,
        ControlWrapSpec wrap,
        List<String> dataCiphers,
        String fallbackCipher,
        String auth,
        UserPass credentials,
        int ping,
        int pingRestart,
        int renegSec,
        int handWindow,
        int tlsTimeout,
        int tunMtu,
        Mssfix mssfix,
        int explicitExitNotify,
        boolean compLzo,
        Integer keyDirection,
        boolean tlsAuth,
        List<List<String>> pullFilters,
        boolean routeNopull,
        int inactiveSeconds,
        long inactiveBytes,
        AllowCompression allowCompression,
        boolean advertiseCompression,
        CompressionFraming configuredFraming) implements EndpointSettings {

    /** A builder with OpenVPN's defaults for everything but {@code tls}, which has none. */
    public static Builder builder(TlsSettings tls) {
        return new Builder(tls);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(tls).from(this).credentials(credentials).explicitExitNotify(explicitExitNotify)
                .compLzo(compLzo).keyDirection(keyDirection).tlsAuth(tlsAuth).pullFilters(pullFilters)
                .routeNopull(routeNopull).inactivity(inactiveSeconds, inactiveBytes).allowCompression(allowCompression)
                .advertiseCompression(advertiseCompression).configuredFraming(configuredFraming);
    }

    /** A copy with {@code allow-compression}; {@code advertise} as 2.6 does unless only stubs are configured. */
    public SessionSettings withCompression(AllowCompression allow, boolean advertise) {
        return toBuilder().allowCompression(allow).advertiseCompression(advertise && allow != AllowCompression.NO)
                .build();
    }

    /** A copy whose framing, until the server pushes one, is {@code framing}. */
    public SessionSettings withFraming(CompressionFraming framing) {
        return toBuilder().configuredFraming(framing).build();
    }

    /** A copy with {@code inactive seconds [bytes]}. */
    public SessionSettings withInactivity(int seconds, long bytes) {
        return toBuilder().inactivity(seconds, bytes).build();
    }

    /**
     * Builds {@link SessionSettings} by name. Every field starts at what stock OpenVPN does when its option is absent.
     */
    public static final class Builder extends EndpointSettings.Builder<Builder> {
        private UserPass credentials; // no auth-user-pass
        private int explicitExitNotify; // off
        private boolean compLzo;
        private Integer keyDirection;
        private boolean tlsAuth;
        private List<List<String>> pullFilters = List.of();
        private boolean routeNopull;
        private int inactiveSeconds; // off
        private long inactiveBytes;
        private AllowCompression allowCompression = AllowCompression.NO;
        private boolean advertiseCompression; // stubs only
        private CompressionFraming configuredFraming = CompressionFraming.NONE;

        private Builder(TlsSettings tls) {
            super(tls, DataOptions.DEFAULT_DATA_CIPHERS, TlsTimers.DEFAULTS.renegSec(), TlsTimers.DEFAULTS.handWindow(),
                    TlsTimers.DEFAULTS.tlsTimeout());
        }

        public Builder credentials(UserPass credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder explicitExitNotify(int explicitExitNotify) {
            this.explicitExitNotify = explicitExitNotify;
            return this;
        }

        public Builder compLzo(boolean compLzo) {
            this.compLzo = compLzo;
            return this;
        }

        public Builder keyDirection(Integer keyDirection) {
            this.keyDirection = keyDirection;
            return this;
        }

        public Builder tlsAuth(boolean tlsAuth) {
            this.tlsAuth = tlsAuth;
            return this;
        }

        public Builder pullFilters(List<List<String>> pullFilters) {
            this.pullFilters = pullFilters;
            return this;
        }

        public Builder routeNopull(boolean routeNopull) {
            this.routeNopull = routeNopull;
            return this;
        }

        public Builder inactiveSeconds(int inactiveSeconds) {
            this.inactiveSeconds = inactiveSeconds;
            return this;
        }

        public Builder inactiveBytes(long inactiveBytes) {
            this.inactiveBytes = inactiveBytes;
            return this;
        }

        /** {@code inactive seconds [bytes]}. */
        public Builder inactivity(int seconds, long bytes) {
            return inactiveSeconds(seconds).inactiveBytes(bytes);
        }

        public Builder allowCompression(AllowCompression allowCompression) {
            this.allowCompression = allowCompression;
            return this;
        }

        public Builder advertiseCompression(boolean advertiseCompression) {
            this.advertiseCompression = advertiseCompression;
            return this;
        }

        public Builder configuredFraming(CompressionFraming configuredFraming) {
            this.configuredFraming = configuredFraming;
            return this;
        }

        public SessionSettings build() {
            return new SessionSettings(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, credentials, ping,
                    pingRestart, renegSec, handWindow, tlsTimeout, tunMtu, mssfix, explicitExitNotify, compLzo,
                    keyDirection, tlsAuth, pullFilters, routeNopull, inactiveSeconds, inactiveBytes, allowCompression,
                    advertiseCompression, configuredFraming);
        }
    }

    public SessionSettings {
        dataCiphers = List.copyOf(dataCiphers);
        pullFilters = List.copyOf(pullFilters);
        allowCompression = allowCompression == null ? AllowCompression.NO : allowCompression;
        configuredFraming = configuredFraming == null ? CompressionFraming.NONE : configuredFraming;
    }
}
