package io.culvert.engine.client;

import io.culvert.engine.protocol.CompressionFraming;
import java.util.List;
import java.util.Locale;

/** Builds the strings a client sends in its key-method-2 message: the options string and peer-info. */
final class Handshake {
    /**
     * IV_PROTO: DATA_V2 | REQUEST_PUSH | TLS_KEY_EXPORT | AUTH_PENDING_KW | CC_EXIT_NOTIFY | AUTH_FAIL_TEMP | DATA_EPOCH
     * (2.7's epoch data format, bit 10) | PUSH_UPDATE (2.7, bit 12); a 2.6 server ignores both.
     */
    static final int IV_PROTO = 2 | 4 | 8 | 16 | 128 | 256 | 1024 | 4096;
    static final String VERSION = "2.6.14";

    private Handshake() {}

    static String optionsString(SessionSettings s) {
        StringBuilder b = new StringBuilder("V4");
        b.append(",dev-type ").append(s.tap() ? "tap" : "tun");
        b.append(",link-mtu ").append(s.tunMtu() + (s.tcp() ? 43 : 41) + (s.tap() ? 18 : 0));
        b.append(",tun-mtu ").append(s.tunMtu());
        b.append(",proto ").append(s.tcp() ? "TCPv4_CLIENT" : "UDPv4");
        if (s.compLzo()) {
            b.append(",comp-lzo");
        }
        if (s.keyDirection() != null) {
            b.append(",keydir ").append(s.keyDirection());
        }
        b.append(",auth ").append(s.auth().toUpperCase(Locale.ROOT));
        b.append(",keysize 128");
        if (s.tlsAuth()) {
            b.append(",tls-auth");
        }
        b.append(",key-method 2,tls-client");
        return b.toString();
    }

    static String peerInfo(List<String> dataCiphers) {
        return peerInfo(dataCiphers, false);
    }

    /** With {@code compression}, the lines 2.6 sends under allow-compression asym/yes instead of the stubs. */
    static String peerInfo(List<String> dataCiphers, boolean compression) {
        StringBuilder b = new StringBuilder();
        b.append("IV_VER=").append(VERSION).append('\n');
        b.append("IV_PLAT=linux\n");
        b.append("IV_TCPNL=1\n");
        b.append("IV_MTU=1600\n");
        if (dataCiphers.contains("AES-128-GCM") && dataCiphers.contains("AES-256-GCM")) {
            b.append("IV_NCP=2\n");
        }
        b.append("IV_CIPHERS=").append(String.join(":", dataCiphers)).append('\n');
        b.append("IV_PROTO=").append(IV_PROTO).append('\n');
        b.append(compression ? CompressionFraming.FULL_PEER_INFO : CompressionFraming.STUB_PEER_INFO);
        b.append("IV_GUI_VER=culvert_").append(version()).append('\n');
        return b.toString();
    }

    static String version() {
        String v = Handshake.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
