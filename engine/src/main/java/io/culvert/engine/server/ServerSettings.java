package io.culvert.engine.server;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.config.DataOptions;
import io.culvert.engine.config.TlsTimers;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.session.EndpointSettings;
import io.culvert.engine.tls.TlsSettings;
import java.util.List;

/**
 * What every client instance of one server shares, resolved from the server config. Instances are immutable.
 *
 * @param tcp whether clients arrive over TCP
 * @param tap whether the device is a TAP device
 * @param tls server TLS settings (client certificates required unless configured otherwise)
 * @param wrap control-channel protection
 * @param dataCiphers the server's data-ciphers, in preference order
 * @param fallbackCipher data-ciphers-fallback, or null
 * @param auth digest for CBC data HMAC
 * @param ping keepalive interval (s) the server sends; 0 = off
 * @param pingRestart seconds of silence before an instance is dropped; 0 = never
 * @param renegSec server-side renegotiation interval; 0 = never
 * @param handWindow seconds a handshake may take
 * @param tlsTimeout control retransmit initial timeout (s)
 * @param tunMtu tun-mtu (pushed to clients that announce IV_MTU)
 * @param framing compression framing the server's own config asks for
 * @param explicitExitNotify {@code explicit-exit-notify}: 0, clients are not told when the server stops; 1, they are
 *     told to reconnect (RESTART); 2 or more, to reconnect to their next remote (RESTART,[N]), as OpenVPN's server does
 * @param clientAuth certificate and username/password policy
 * @param mssfix the {@code mssfix} in effect ({@link Mssfix#effective})
 * @param sessionTimeout {@code session-timeout}: seconds after which an instance is closed, whatever its traffic
 *                       (silently, as OpenVPN does); 0 = never
 */
public record ServerSettings(
        boolean tcp,
        boolean tap,
        TlsSettings tls,
        ControlWrapSpec wrap,
        List<String> dataCiphers,
        String fallbackCipher,
        String auth,
        int ping,
        int pingRestart,
        int renegSec,
        int handWindow,
        int tlsTimeout,
        int tunMtu,
        CompressionFraming framing,
        int explicitExitNotify,
        ClientAuth clientAuth,
        Mssfix mssfix,
        int sessionTimeout) implements EndpointSettings {

    public ServerSettings {
        dataCiphers = List.copyOf(dataCiphers);
        mssfix = mssfix == null ? Mssfix.effective(null, tunMtu) : mssfix;
    }

    /** A builder with OpenVPN's defaults for everything but {@code tls}, which has none. */
    public static Builder builder(TlsSettings tls) {
        return new Builder(tls);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(tls).from(this).framing(framing).explicitExitNotify(explicitExitNotify)
                .clientAuth(clientAuth).sessionTimeout(sessionTimeout);
    }

    /** These settings with other TLS settings. */
    public ServerSettings withTls(TlsSettings other) {
        return toBuilder().tls(other).build();
    }

    /**
     * The same settings for a client over TCP ({@code tcp}) or UDP: the framing and MSS limit differ; everything else,
     * {@code session-timeout} included, holds whatever the transport, as in OpenVPN.
     */
    public ServerSettings withTcp(boolean tcp) {
        return tcp == this.tcp ? this : toBuilder().tcp(tcp).build();
    }

    /**
     * Builds {@link ServerSettings} by name. Every field starts at what stock OpenVPN does when its option is absent.
     */
    public static final class Builder extends EndpointSettings.Builder<Builder> {
        private CompressionFraming framing = CompressionFraming.NONE;
        private int explicitExitNotify; // off
        private ClientAuth clientAuth = ClientAuth.certificatesOnly();
        private int sessionTimeout; // never

        private Builder(TlsSettings tls) {
            super(tls, DataOptions.DEFAULT_DATA_CIPHERS, TlsTimers.DEFAULTS.renegSec(), TlsTimers.DEFAULTS.handWindow(),
                    TlsTimers.DEFAULTS.tlsTimeout());
        }

        public Builder framing(CompressionFraming framing) {
            this.framing = framing;
            return this;
        }

        public Builder explicitExitNotify(int explicitExitNotify) {
            this.explicitExitNotify = explicitExitNotify;
            return this;
        }

        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        public Builder sessionTimeout(int sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, ping, pingRestart,
                    renegSec, handWindow, tlsTimeout, tunMtu, framing, explicitExitNotify, clientAuth, mssfix,
                    sessionTimeout);
        }
    }

    String optionsString() {
        return "V4,dev-type " + (tap ? "tap" : "tun") + ",link-mtu " + (tunMtu + (tcp ? 43 : 41) + (tap ? 18 : 0))
                + ",tun-mtu " + tunMtu + ",proto " + (tcp ? "TCPv4_SERVER" : "UDPv4") + ",auth " + auth
                + ",keysize 128,key-method 2,tls-server";
    }
}
