package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.tls.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconnect steps, as OpenVPN takes them, without threads or sockets. */
class RetryPolicyTest {
    private static final ConnectionAttempts.Outcome REFUSED =
            new ConnectionAttempts.Outcome(false, ErrorKind.NETWORK_UNREACHABLE, null, "connection refused", false, false, null, false);

    private static RetryPolicy policy(Path dir, String lines) throws Exception {
        KeyPair caKey = TestKeys.ec();
        KeyPair key = TestKeys.rsa();
        X509Certificate ca = TestKeys.certificate(caKey, "CA", caKey, "CA", true);
        Files.writeString(dir.resolve("ca.crt"), TestKeys.pem(ca));
        Files.writeString(dir.resolve("c.crt"), TestKeys.pem(TestKeys.certificate(key, "c", caKey, "CA", false)));
        Files.writeString(dir.resolve("c.key"), TestKeys.pem(key.getPrivate()));
        Path file = Files.writeString(dir.resolve("c.ovpn"), "client\ndev tun\nca ca.crt\ncert c.crt\nkey c.key\n" + lines);
        ClientProfile p = ClientProfile.from(ClientConfig.load(file, false), prompt -> Optional.empty());
        return new RetryPolicy(p, p.remotes());
    }

    @Test
    void waitsLongerAfterEachFailureUpToTheMaximumThenTriesTheNextRemote(@TempDir Path dir) throws Exception {
        RetryPolicy r = policy(dir, "remote a 1194\nremote b 1194\nconnect-retry 2 5\n");
        assertEquals("a", r.current().host());
        assertEquals(new RetryPolicy.Wait(2, "retrying in 2 s"), r.next(REFUSED, false));
        assertEquals("b", r.current().host());
        assertEquals(new RetryPolicy.Wait(4, "retrying in 4 s"), r.next(REFUSED, false));
        assertEquals(new RetryPolicy.Wait(5, "retrying in 5 s"), r.next(REFUSED, false));
        assertEquals("b", r.current().host());
    }

    @Test
    void givesUpAfterConnectRetryMaxRoundsAndOnAnAuthFailure(@TempDir Path dir) throws Exception {
        RetryPolicy r = policy(dir, "remote a 1194\nconnect-retry-max 2\n");
        assertEquals(RetryPolicy.Wait.class, r.next(REFUSED, false).getClass());
        assertEquals(new RetryPolicy.Exit("connect-retry-max reached"), r.next(REFUSED, false));
        ConnectionAttempts.Outcome refused = new ConnectionAttempts.Outcome(true, ErrorKind.AUTH_FAILED, "AUTH_FAILED", null,
                false, false, null, false);
        assertEquals(new RetryPolicy.Exit("not retrying: AUTH_FAILED"), policy(dir, "remote a 1194\n").next(refused, false));
        ConnectionAttempts.Outcome tokenRefused = new ConnectionAttempts.Outcome(true, ErrorKind.AUTH_FAILED, null, null,
                false, true, null, false);
        assertEquals(RetryPolicy.Wait.class, policy(dir, "remote a 1194\n").next(tokenRefused, false).getClass(),
                "a refused auth token is retried with the password");
    }

    @Test
    void aNetworkChangeOrAServerPollTimeoutConnectsAgainAtOnce(@TempDir Path dir) throws Exception {
        RetryPolicy r = policy(dir, "remote a 1194\nremote b 1194\n");
        ConnectionAttempts.Outcome moved = new ConnectionAttempts.Outcome(true, null, null, null, false, false, "network changed", false);
        assertEquals(new RetryPolicy.Now(null, "network changed"), r.next(moved, false));
        assertEquals("a", r.current().host(), "the same remote again");
        ConnectionAttempts.Outcome poll = new ConnectionAttempts.Outcome(false, ErrorKind.HANDSHAKE_TIMEOUT, null, "no answer",
                true, false, null, false);
        assertEquals(new RetryPolicy.Now(ErrorKind.HANDSHAKE_TIMEOUT, "server poll timeout, next remote now"), r.next(poll, false));
        assertEquals("b", r.current().host());
        assertEquals(new RetryPolicy.Now(ErrorKind.NETWORK_UNREACHABLE, "falling back, next remote now"), r.next(REFUSED, true));
        assertEquals("a", r.current().host());
    }

    /**
     * After a tunnel was up, a server's RESTART sends the client back to the same server, as openvpn's no_advance does;
     * a RESTART,[N] (the server's explicit-exit-notify 2) to the next remote.
     */
    @Test
    void aRestartKeepsTheServerUnlessItSaysNext(@TempDir Path dir) throws Exception {
        RetryPolicy r = policy(dir, "remote a 1194\nremote b 1194\nconnect-retry 2\n");
        ConnectionAttempts.Outcome restart = new ConnectionAttempts.Outcome(true, ErrorKind.SERVER_RESTART,
                "server sent RESTART", null, false, false, null, false);
        assertEquals(RetryPolicy.Wait.class, r.next(restart, false).getClass());
        assertEquals("a", r.current().host(), "the same server again");
        ConnectionAttempts.Outcome next = new ConnectionAttempts.Outcome(true, ErrorKind.SERVER_RESTART,
                "server sent RESTART,[N]", null, false, false, null, true);
        assertEquals(RetryPolicy.Wait.class, r.next(next, false).getClass());
        assertEquals("b", r.current().host(), "the next remote");
    }

    @Test
    void restartFlagsAreReadAsOpenvpnReadsThem() {
        assertEquals("N", ClientSession.restartFlags("RESTART,[N]"));
        assertEquals("PN", ClientSession.restartFlags("RESTART,[PN]some text"));
        assertEquals("", ClientSession.restartFlags("RESTART"));
        assertEquals("", ClientSession.restartFlags("RESTART,server shutting down"));
    }
}
