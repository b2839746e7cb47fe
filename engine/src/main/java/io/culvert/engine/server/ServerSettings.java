package io.culvert.engine.server;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.protocol.CompressionFraming;
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
 * @param explicitExitNotify whether to tell clients to reconnect when the server stops
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
        boolean explicitExitNotify,
        ClientAuth clientAuth,
        Mssfix mssfix,
        int sessionTimeout) {

    /** These settings with other TLS settings. */
    public ServerSettings withTls(TlsSettings other) {
        return new ServerSettings(tcp, tap, other, wrap, dataCiphers, fallbackCipher, auth, ping, pingRestart, renegSec,
                handWindow, tlsTimeout, tunMtu, framing, explicitExitNotify, clientAuth, mssfix, sessionTimeout);
    }

    public ServerSettings {
        dataCiphers = List.copyOf(dataCiphers);
        mssfix = mssfix == null ? Mssfix.effective(null, tunMtu) : mssfix;
    }

    /** Settings without a session timeout. */
    public ServerSettings(boolean tcp, boolean tap, TlsSettings tls, ControlWrapSpec wrap, List<String> dataCiphers,
            String fallbackCipher, String auth, int ping, int pingRestart, int renegSec, int handWindow, int tlsTimeout,
            int tunMtu, CompressionFraming framing, boolean explicitExitNotify, ClientAuth clientAuth, Mssfix mssfix) {
        this(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, ping, pingRestart, renegSec, handWindow, tlsTimeout,
                tunMtu, framing, explicitExitNotify, clientAuth, mssfix, 0);
    }

    /** Settings with OpenVPN's default {@code mssfix} for {@code tunMtu}. */
    public ServerSettings(boolean tcp, boolean tap, TlsSettings tls, ControlWrapSpec wrap, List<String> dataCiphers,
            String fallbackCipher, String auth, int ping, int pingRestart, int renegSec, int handWindow, int tlsTimeout,
            int tunMtu, CompressionFraming framing, boolean explicitExitNotify, ClientAuth clientAuth) {
        this(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, ping, pingRestart, renegSec, handWindow, tlsTimeout,
                tunMtu, framing, explicitExitNotify, clientAuth, null, 0);
    }

    /** Settings for a server that admits clients by certificate only. */
    public ServerSettings(boolean tcp, boolean tap, TlsSettings tls, ControlWrapSpec wrap, List<String> dataCiphers,
            String fallbackCipher, String auth, int ping, int pingRestart, int renegSec, int handWindow, int tlsTimeout,
            int tunMtu, CompressionFraming framing, boolean explicitExitNotify) {
        this(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, ping, pingRestart, renegSec, handWindow, tlsTimeout,
                tunMtu, framing, explicitExitNotify, ClientAuth.certificatesOnly());
    }

    /** The same settings for a client over TCP ({@code tcp}) or UDP: the framing and MSS limit differ. */
    public ServerSettings withTcp(boolean tcp) {
        return tcp == this.tcp ? this : new ServerSettings(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, ping,
                pingRestart, renegSec, handWindow, tlsTimeout, tunMtu, framing, explicitExitNotify, clientAuth, mssfix);
    }

    String optionsString() {
        return "V4,dev-type " + (tap ? "tap" : "tun") + ",link-mtu " + (tunMtu + (tcp ? 43 : 41) + (tap ? 18 : 0))
                + ",tun-mtu " + tunMtu + ",proto " + (tcp ? "TCPv4_SERVER" : "UDPv4") + ",auth " + auth
                + ",keysize 128,key-method 2,tls-server";
    }
}
