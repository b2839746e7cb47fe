package io.culvert.engine.server;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;

/**
 * Checks a client's username and password ({@code auth-user-pass-verify}). Implementations must be
 * thread-safe: the server thread starts checks, and verdicts may arrive on any thread.
 */
public interface PasswordCheck {

    /**
     * What the server knows about the client asking.
     *
     * @param certificate the client's certificate, or null under {@code verify-client-cert none|optional}
     * @param commonName the certificate's common name, or null without one
     * @param peerInfo the client's IV_/UV_ variables, one {@code KEY=value} per line
     */
    record Request(String username, String password, X509Certificate certificate, String commonName,
            InetSocketAddress from, String peerInfo) {
        /** This request as coming from {@code address}. */
        public Request from(InetSocketAddress address) {
            return new Request(username, password, certificate, commonName, address, peerInfo);
        }

        @Override
        public String toString() {
            return "Request[username=" + username + ", commonName=" + commonName + ", from=" + from + "]";
        }
    }

    /** The outcome; {@code reason} is for the server log, never sent to the client. */
    record Verdict(boolean accepted, String reason) {
        public static Verdict accept() {
            return new Verdict(true, "accepted");
        }

        public static Verdict reject(String reason) {
            return new Verdict(false, reason);
        }
    }

    /** Starts a check; {@code done} is called exactly once, on any thread. */
    void check(Request request, Consumer<Verdict> done);
}
