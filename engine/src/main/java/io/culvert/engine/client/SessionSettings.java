package io.culvert.engine.client;

import io.culvert.engine.api.UserPass;
import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.protocol.AllowCompression;
import io.culvert.engine.protocol.CompressionFraming;
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
        CompressionFraming configuredFraming) {

    /** Without an inactivity limit. */
    public SessionSettings(boolean tcp, boolean tap, TlsSettings tls, ControlWrapSpec wrap, List<String> dataCiphers,
            String fallbackCipher, String auth, UserPass credentials, int ping, int pingRestart, int renegSec,
            int handWindow, int tlsTimeout, int tunMtu, Mssfix mssfix, int explicitExitNotify, boolean compLzo,
            Integer keyDirection, boolean tlsAuth, List<List<String>> pullFilters, boolean routeNopull) {
        this(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, credentials, ping, pingRestart, renegSec, handWindow,
                tlsTimeout, tunMtu, mssfix, explicitExitNotify, compLzo, keyDirection, tlsAuth, pullFilters, routeNopull, 0, 0);
    }

    /** With {@code allow-compression no}. */
    public SessionSettings(boolean tcp, boolean tap, TlsSettings tls, ControlWrapSpec wrap, List<String> dataCiphers,
            String fallbackCipher, String auth, UserPass credentials, int ping, int pingRestart, int renegSec,
            int handWindow, int tlsTimeout, int tunMtu, Mssfix mssfix, int explicitExitNotify, boolean compLzo,
            Integer keyDirection, boolean tlsAuth, List<List<String>> pullFilters, boolean routeNopull,
            int inactiveSeconds, long inactiveBytes) {
        this(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, credentials, ping, pingRestart, renegSec, handWindow,
                tlsTimeout, tunMtu, mssfix, explicitExitNotify, compLzo, keyDirection, tlsAuth, pullFilters, routeNopull,
                inactiveSeconds, inactiveBytes, AllowCompression.NO, false, CompressionFraming.NONE);
    }

    /** A copy with {@code allow-compression}; {@code advertise} as 2.6 does unless only stubs are configured. */
    public SessionSettings withCompression(AllowCompression allow, boolean advertise) {
        return new SessionSettings(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, credentials, ping, pingRestart,
                renegSec, handWindow, tlsTimeout, tunMtu, mssfix, explicitExitNotify, compLzo, keyDirection, tlsAuth,
                pullFilters, routeNopull, inactiveSeconds, inactiveBytes, allow, advertise && allow != AllowCompression.NO,
                configuredFraming);
    }

    /** A copy whose framing, until the server pushes one, is {@code framing}. */
    public SessionSettings withFraming(CompressionFraming framing) {
        return new SessionSettings(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, credentials, ping, pingRestart,
                renegSec, handWindow, tlsTimeout, tunMtu, mssfix, explicitExitNotify, compLzo, keyDirection, tlsAuth,
                pullFilters, routeNopull, inactiveSeconds, inactiveBytes, allowCompression, advertiseCompression, framing);
    }

    /** A copy with {@code inactive seconds [bytes]}. */
    public SessionSettings withInactivity(int seconds, long bytes) {
        return new SessionSettings(tcp, tap, tls, wrap, dataCiphers, fallbackCipher, auth, credentials, ping, pingRestart,
                renegSec, handWindow, tlsTimeout, tunMtu, mssfix, explicitExitNotify, compLzo, keyDirection, tlsAuth,
                pullFilters, routeNopull, seconds, bytes, allowCompression, advertiseCompression, configuredFraming);
    }

    public SessionSettings {
        dataCiphers = List.copyOf(dataCiphers);
        pullFilters = List.copyOf(pullFilters);
        allowCompression = allowCompression == null ? AllowCompression.NO : allowCompression;
        configuredFraming = configuredFraming == null ? CompressionFraming.NONE : configuredFraming;
    }
}
