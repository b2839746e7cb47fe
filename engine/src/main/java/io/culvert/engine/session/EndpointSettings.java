package io.culvert.engine.session;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.tls.TlsSettings;
import java.util.List;

/**
 * What the settings of a client session and of a server's instances share: the link, TLS, control-channel protection,
 * data ciphers, keepalive and timers. Implemented by {@code client.SessionSettings} and {@code server.ServerSettings};
 * {@link Builder} holds these fields once for both builders.
 */
public interface EndpointSettings {
    boolean tcp();

    boolean tap();

    TlsSettings tls();

    ControlWrapSpec wrap();

    List<String> dataCiphers();

    String fallbackCipher();

    String auth();

    int ping();

    int pingRestart();

    int renegSec();

    int handWindow();

    int tlsTimeout();

    int tunMtu();

    Mssfix mssfix();

    /**
     * The shared part of both builders, by name. Every field starts at what stock OpenVPN does when its option is
     * absent; the defaults that come from the config ({@code data-ciphers} and the TLS timers) are given by the subclass.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    abstract class Builder<B extends Builder<B>> {
        protected TlsSettings tls;
        protected boolean tcp; // proto udp
        protected boolean tap; // dev tun
        protected ControlWrapSpec wrap = ControlWrapSpec.none();
        protected List<String> dataCiphers;
        protected String fallbackCipher; // no data-ciphers-fallback
        protected String auth = "SHA1";
        protected int ping; // no keepalive
        protected int pingRestart;
        protected int renegSec;
        protected int handWindow;
        protected int tlsTimeout;
        protected int tunMtu = 1500;
        protected Mssfix mssfix; // null: OpenVPN's default for tun-mtu

        /** A builder with {@code tls}, the default {@code data-ciphers} and the default TLS timers. */
        protected Builder(TlsSettings tls, List<String> dataCiphers, int renegSec, int handWindow, int tlsTimeout) {
            this.tls = tls;
            this.dataCiphers = dataCiphers;
            this.renegSec = renegSec;
            this.handWindow = handWindow;
            this.tlsTimeout = tlsTimeout;
        }

        /** This builder, typed as the subclass (which is {@code B} by the class's declaration). */
        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Takes every shared field from {@code s}. */
        public B from(EndpointSettings s) {
            return tls(s.tls()).tcp(s.tcp()).tap(s.tap()).wrap(s.wrap()).dataCiphers(s.dataCiphers())
                    .fallbackCipher(s.fallbackCipher()).auth(s.auth()).keepalive(s.ping(), s.pingRestart())
                    .renegSec(s.renegSec()).handWindow(s.handWindow()).tlsTimeout(s.tlsTimeout()).tunMtu(s.tunMtu())
                    .mssfix(s.mssfix());
        }

        public B tls(TlsSettings tls) {
            this.tls = tls;
            return self();
        }

        public B tcp(boolean tcp) {
            this.tcp = tcp;
            return self();
        }

        public B tap(boolean tap) {
            this.tap = tap;
            return self();
        }

        public B wrap(ControlWrapSpec wrap) {
            this.wrap = wrap;
            return self();
        }

        public B dataCiphers(List<String> dataCiphers) {
            this.dataCiphers = dataCiphers;
            return self();
        }

        public B fallbackCipher(String fallbackCipher) {
            this.fallbackCipher = fallbackCipher;
            return self();
        }

        public B auth(String auth) {
            this.auth = auth;
            return self();
        }

        public B ping(int ping) {
            this.ping = ping;
            return self();
        }

        public B pingRestart(int pingRestart) {
            this.pingRestart = pingRestart;
            return self();
        }

        /** {@code keepalive ping pingRestart} as this end applies it to itself (a client: until the server pushes one). */
        public B keepalive(int ping, int pingRestart) {
            return ping(ping).pingRestart(pingRestart);
        }

        public B renegSec(int renegSec) {
            this.renegSec = renegSec;
            return self();
        }

        public B handWindow(int handWindow) {
            this.handWindow = handWindow;
            return self();
        }

        public B tlsTimeout(int tlsTimeout) {
            this.tlsTimeout = tlsTimeout;
            return self();
        }

        public B tunMtu(int tunMtu) {
            this.tunMtu = tunMtu;
            return self();
        }

        /** The {@code mssfix} in effect, or null for OpenVPN's default for the tun-mtu. */
        public B mssfix(Mssfix mssfix) {
            this.mssfix = mssfix;
            return self();
        }
    }
}
