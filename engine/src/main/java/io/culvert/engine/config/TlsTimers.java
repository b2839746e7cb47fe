package io.culvert.engine.config;

/**
 * The timers of the TLS control channel: renegotiation limits and handshake windows. Instances are immutable.
 *
 * @param renegSec {@code reneg-sec} (0 = off)
 * @param renegBytes {@code reneg-bytes} (-1 = OpenVPN's default: only the cipher's own limit)
 * @param renegPkts {@code reneg-pkts} (0 = off)
 * @param handWindow {@code hand-window}, the seconds a handshake may take
 * @param tranWindow {@code tran-window}, the seconds an old key stays usable after renegotiation
 * @param tlsTimeout {@code tls-timeout}, the control-packet retransmit interval in seconds
 */
public record TlsTimers(int renegSec, long renegBytes, long renegPkts, int handWindow, int tranWindow, int tlsTimeout) {
    /** OpenVPN 2.6's defaults. */
    public static final TlsTimers DEFAULTS = new TlsTimers(3600, -1, 0, 60, 3600, 2);
}
