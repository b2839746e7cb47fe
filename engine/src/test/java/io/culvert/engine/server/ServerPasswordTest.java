package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
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

    private static SessionRig pair(UserPass creds, ClientAuth auth, boolean clientCert, int renegSec) {
        SessionRig.Builder b = SessionRig.with(Wrap.TLS_CRYPT).seed(3).clientCiphers(CIPHERS).serverCiphers(CIPHERS)
                .serverRenegSec(renegSec).credentials(creds).clientAuth(auth);
        return (clientCert ? b : b.noClientCertificate()).againstServer();
    }

    private static void answer(SessionRig p, PasswordCheck.Verdict verdict) {
        p.server().passwordChecked(verdict);
        p.pump();
    }

    @Test
    void nothingIsPushedUntilThePasswordIsAccepted() {
        SessionRig p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, true), false, 0);
        p.start();
        assertTrue(p.runUntil(() -> !p.real().passwordChecks.isEmpty(), Duration.ofSeconds(10)), p.real().logs.toString());
        PasswordCheck.Request r = p.real().passwordChecks.getFirst();
        assertEquals("alice", r.username());
        assertEquals("wonderland", r.password());
        assertNull(r.certificate(), "the client sent no certificate");
        assertFalse(r.toString().contains("wonderland"), "a request's text never shows the password");

        p.runUntil(() -> false, Duration.ofSeconds(5));
        assertFalse(p.server().established(), "pushed before the check finished");
        assertFalse(p.session.connected());

        answer(p, PasswordCheck.Verdict.accept());
        assertTrue(p.runUntil(() -> p.session.connected() && p.server().established(), Duration.ofSeconds(10)), p.real().logs.toString());
        assertEquals("alice", p.server().commonName(), "username-as-common-name");
        assertEquals(1, p.real().passwordChecks.size());
    }

    @Test
    void aRefusedPasswordEndsInABareAuthFailed() {
        SessionRig p = pair(new UserPass("alice", "guess"), new ClientAuth(ClientCerts.REQUIRE, UNUSED, false, false), true, 0);
        p.start();
        assertTrue(p.runUntil(() -> !p.real().passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        assertEquals("client", p.real().passwordChecks.getFirst().commonName(), "the certificate's name goes to the script");
        answer(p, PasswordCheck.Verdict.reject("script exited with status 1"));
        assertTrue(p.runUntil(p.session::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, p.session.failure());
        assertFalse(p.session.failureDetail().contains("status"), "the reason stays on the server: " + p.session.failureDetail());
        assertFalse(p.server().established());
        assertEquals("client", p.server().commonName(), "without username-as-common-name the certificate names the client");
        assertTrue(p.real().logs.stream().anyMatch(l -> l.contains("script exited with status 1")), p.real().logs.toString());
    }

    @Test
    void aClientWithoutUsernameIsRefusedUnlessPasswordsAreOptional() {
        SessionRig refused = pair(null, new ClientAuth(ClientCerts.REQUIRE, UNUSED, false, false), true, 0);
        refused.start();
        assertTrue(refused.runUntil(refused.session::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, refused.session.failure());
        assertTrue(refused.real().passwordChecks.isEmpty());

        SessionRig optional = pair(null, new ClientAuth(ClientCerts.REQUIRE, UNUSED, true, false), true, 0);
        optional.connected();
        assertTrue(optional.real().passwordChecks.isEmpty(), "auth-user-pass-optional: no username, no check");
    }

    @Test
    void withoutACertificateAndWithoutAPasswordCheckTheClientIsRefused() {
        SessionRig p = pair(new UserPass("alice", "x"), new ClientAuth(ClientCerts.OPTIONAL, null, false, false), false, 0);
        p.start();
        assertTrue(p.runUntil(p.session::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, p.session.failure());
        assertFalse(p.server().established());
    }

    @Test
    void aRequiredCertificateIsStillRequired() {
        SessionRig p = pair(new UserPass("alice", "x"), new ClientAuth(ClientCerts.REQUIRE, UNUSED, false, false), false, 0);
        p.start();
        p.runUntil(p.session::finished, Duration.ofSeconds(20));
        assertFalse(p.server().established());
        assertTrue(p.real().passwordChecks.isEmpty(), "no check before the TLS handshake succeeded");
    }

    @Test
    void renegotiatedKeysWaitForTheirOwnPasswordCheck() {
        SessionRig p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, false), false, 20);
        p.start();
        assertTrue(p.runUntil(() -> !p.real().passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        answer(p, PasswordCheck.Verdict.accept());
        assertTrue(p.runUntil(() -> p.session.connected() && p.server().established(), Duration.ofSeconds(10)));

        assertTrue(p.runUntil(() -> p.real().passwordChecks.size() == 2, Duration.ofSeconds(40)), "the server renegotiates after 20 s");
        assertFalse(p.real().logs.stream().anyMatch(l -> l.contains("renegotiated data channel keys")), "keys before the check");
        answer(p, PasswordCheck.Verdict.reject("password changed"));
        assertTrue(p.runUntil(p.session::finished, Duration.ofSeconds(20)), p.real().logs.toString());
        assertEquals(ErrorKind.AUTH_FAILED, p.session.failure(), p.session.failureDetail());
        assertFalse(p.server().established());
    }

    @Test
    void clientConnectRunsAfterThePasswordAndBeforeThePush() {
        SessionRig p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, true), false, 0);
        p.real().clientConnectScript = true;
        p.start();
        assertTrue(p.runUntil(() -> !p.real().passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        assertEquals(0, p.real().clientConnects, "client-connect waits for the password check");
        answer(p, PasswordCheck.Verdict.accept());
        assertTrue(p.runUntil(() -> p.real().clientConnects == 1, Duration.ofSeconds(10)));
        assertEquals("alice", p.server().username());
        assertTrue(p.server().peerInfoText().contains("IV_VER="), p.server().peerInfoText());
        p.runUntil(() -> false, Duration.ofSeconds(3));
        assertFalse(p.server().established(), "pushed before client-connect answered");
        p.server().clientConnected(true, null);
        assertTrue(p.runUntil(() -> p.session.connected() && p.server().established(), Duration.ofSeconds(10)));
        assertEquals(1, p.real().clientConnects);
    }

    @Test
    void aRefusingClientConnectEndsInAuthFailed() {
        SessionRig p = pair(null, ClientAuth.certificatesOnly(), true, 0);
        p.real().clientConnectScript = true;
        p.start();
        assertTrue(p.runUntil(() -> p.real().clientConnects == 1, Duration.ofSeconds(10)));
        p.server().clientConnected(false, "client-connect script exited with status 1");
        p.pump();
        assertTrue(p.runUntil(p.session::finished, Duration.ofSeconds(10)));
        assertEquals(ErrorKind.AUTH_FAILED, p.session.failure());
        assertTrue(p.real().logs.stream().anyMatch(l -> l.contains("client-connect refused")), p.real().logs.toString());
    }

    @Test
    void aVerdictAfterTheSessionEndedIsIgnored() {
        SessionRig p = pair(new UserPass("alice", "wonderland"), new ClientAuth(ClientCerts.NONE, UNUSED, false, false), false, 0);
        p.start();
        assertTrue(p.runUntil(() -> !p.real().passwordChecks.isEmpty(), Duration.ofSeconds(10)));
        p.server().kick(true, "admin");
        Consumer<PasswordCheck.Verdict> late = p.server()::passwordChecked;
        late.accept(PasswordCheck.Verdict.accept());
        p.pump();
        assertFalse(p.server().established());
    }
}
