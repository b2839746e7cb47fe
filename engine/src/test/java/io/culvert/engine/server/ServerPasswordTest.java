package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.tls.TlsSettings.ClientCerts;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The server's username/password path with our client over in-memory pipes and a manual clock: nothing is
 * pushed while a check is pending, a refusal is a bare AUTH_FAILED, username-as-common-name renames the
 * client, certificate-less clients need a password check, and renegotiated keys wait for their own check.
 */
class ServerPasswordTest {
    private static final List<String> CIPHERS = List.of("AES-256-GCM");
    private static final PasswordCheck UNUSED = (request, done) -> { };

    private static SessionPair pair(UserPass creds, ClientAuth auth, boolean clientCert, int renegSec) {
        return new SessionPair(SessionPair.Wrap.TLS_CRYPT, 3, CIPHERS, CIPHERS, 0, renegSec, creds, auth, clientCert);
    }

    private static void answer(SessionPair p, PasswordCheck.Verdict verdict) {
        p.server.passwordChecked(verdict);
        p.pump();
    }

    @Test
    void nothingIsPushedUntilThePasswordIsAccepted() {
        SessionPair p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, true), false, 0);
        p.start();
        assertTrue(p.runUntil(() -> !p.passwordChecks.isEmpty(), Duration.ofSeconds(10)), p.serverLog.toString());
        PasswordCheck.Request r = p.passwordChecks.getFirst();
        assertEquals("alice", r.username());
        assertEquals("wonderland", r.password());
        assertNull(r.certificate(), "the client sent no certificate");
        assertFalse(r.toString().contains("wonderland"), "a request's text never shows the password");

        p.runUntil(() -> false, Duration.ofSeconds(5));
        assertFalse(p.server.established(), "pushed before the check finished");
        assertFalse(p.client.connected());

        answer(p, PasswordCheck.Verdict.accept());
        assertTrue(p.runUntil(() -> p.client.connected() && p.server.established(), Duration.ofSeconds(10)), p.serverLog.toString());
        assertEquals("alice", p.server.commonName(), "username-as-common-name");
        assertEquals(1, p.passwordChecks.size());
    }

    @Test
    void aRefusedPasswordEndsInABareAuthFailed() {
        SessionPair p = pair(new UserPass("alice", "guess"), new ClientAuth(ClientCerts.REQUIRE, UNUSED, false, false), true, 0);
        p.start();
        assertTrue(p.runUntil(() -> !p.passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        assertEquals("client", p.passwordChecks.getFirst().commonName(), "the certificate's name goes to the script");
        answer(p, PasswordCheck.Verdict.reject("script exited with status 1"));
        assertTrue(p.runUntil(p.client::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, p.client.failure());
        assertFalse(p.client.failureDetail().contains("status"), "the reason stays on the server: " + p.client.failureDetail());
        assertFalse(p.server.established());
        assertEquals("client", p.server.commonName(), "without username-as-common-name the certificate names the client");
        assertTrue(p.serverLog.stream().anyMatch(l -> l.contains("script exited with status 1")), p.serverLog.toString());
    }

    @Test
    void aClientWithoutUsernameIsRefusedUnlessPasswordsAreOptional() {
        SessionPair refused = pair(null, new ClientAuth(ClientCerts.REQUIRE, UNUSED, false, false), true, 0);
        refused.start();
        assertTrue(refused.runUntil(refused.client::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, refused.client.failure());
        assertTrue(refused.passwordChecks.isEmpty());

        SessionPair optional = pair(null, new ClientAuth(ClientCerts.REQUIRE, UNUSED, true, false), true, 0);
        optional.connected();
        assertTrue(optional.passwordChecks.isEmpty(), "auth-user-pass-optional: no username, no check");
    }

    @Test
    void withoutACertificateAndWithoutAPasswordCheckTheClientIsRefused() {
        SessionPair p = pair(new UserPass("alice", "x"), new ClientAuth(ClientCerts.OPTIONAL, null, false, false), false, 0);
        p.start();
        assertTrue(p.runUntil(p.client::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, p.client.failure());
        assertFalse(p.server.established());
    }

    @Test
    void aRequiredCertificateIsStillRequired() {
        SessionPair p = pair(new UserPass("alice", "x"), new ClientAuth(ClientCerts.REQUIRE, UNUSED, false, false), false, 0);
        p.start();
        p.runUntil(p.client::finished, Duration.ofSeconds(20));
        assertFalse(p.server.established());
        assertTrue(p.passwordChecks.isEmpty(), "no check before the TLS handshake succeeded");
    }

    @Test
    void renegotiatedKeysWaitForTheirOwnPasswordCheck() {
        SessionPair p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, false), false, 20);
        p.start();
        assertTrue(p.runUntil(() -> !p.passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        answer(p, PasswordCheck.Verdict.accept());
        assertTrue(p.runUntil(() -> p.client.connected() && p.server.established(), Duration.ofSeconds(10)));

        assertTrue(p.runUntil(() -> p.passwordChecks.size() == 2, Duration.ofSeconds(40)), "the server renegotiates after 20 s");
        assertFalse(p.serverLog.stream().anyMatch(l -> l.contains("renegotiated data channel keys")), "keys before the check");
        answer(p, PasswordCheck.Verdict.reject("password changed"));
        assertTrue(p.runUntil(p.client::finished, Duration.ofSeconds(20)), p.serverLog.toString());
        assertEquals(ErrorKind.AUTH_FAILED, p.client.failure(), p.client.failureDetail());
        assertFalse(p.server.established());
    }

    @Test
    void clientConnectRunsAfterThePasswordAndBeforeThePush() {
        SessionPair p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, true), false, 0);
        p.clientConnectScript = true;
        p.start();
        assertTrue(p.runUntil(() -> !p.passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        assertEquals(0, p.clientConnects, "client-connect waits for the password check");
        answer(p, PasswordCheck.Verdict.accept());
        assertTrue(p.runUntil(() -> p.clientConnects == 1, Duration.ofSeconds(10)));
        assertEquals("alice", p.server.username());
        assertTrue(p.server.peerInfoText().contains("IV_VER="), p.server.peerInfoText());
        p.runUntil(() -> false, Duration.ofSeconds(3));
        assertFalse(p.server.established(), "pushed before client-connect answered");
        p.server.clientConnected(true, null);
        assertTrue(p.runUntil(() -> p.client.connected() && p.server.established(), Duration.ofSeconds(10)));
        assertEquals(1, p.clientConnects);
    }

    @Test
    void aRefusingClientConnectEndsInAuthFailed() {
        SessionPair p = pair(null, ClientAuth.certificatesOnly(), true, 0);
        p.clientConnectScript = true;
        p.start();
        assertTrue(p.runUntil(() -> p.clientConnects == 1, Duration.ofSeconds(10)));
        p.server.clientConnected(false, "client-connect script exited with status 1");
        p.pump();
        assertTrue(p.runUntil(p.client::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, p.client.failure());
        assertTrue(p.serverLog.stream().anyMatch(l -> l.contains("client-connect refused")), p.serverLog.toString());
    }

    @Test
    void aVerdictAfterTheSessionEndedIsIgnored() {
        SessionPair p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, false), false, 0);
        p.start();
        assertTrue(p.runUntil(() -> !p.passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        p.server.kick(true, "admin");
        Consumer<PasswordCheck.Verdict> late = p.server::passwordChecked;
        late.accept(PasswordCheck.Verdict.accept());
        p.pump();
        assertFalse(p.server.established());
    }
}
