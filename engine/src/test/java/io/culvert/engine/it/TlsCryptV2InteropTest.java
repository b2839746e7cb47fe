package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tls-crypt-v2 against stock openvpn 2.6, with the same config files on both sides: a stock client joins
 * {@code ./culvert server} and {@code ./culvert client} joins a stock server, over UDP (the stateless cookie exchange
 * with the WKc resent in P_CONTROL_WKC_V1) and TCP, and a ping crosses each tunnel. A client whose key was wrapped by
 * another server key never gets in.
 */
@NetnsTest
@ControlPlaneOnly
class TlsCryptV2InteropTest {

    private static Scenario scenario(String proto) {
        return new Scenario(proto, "AES-256-GCM", null, "tls-crypt-v2", "subnet", "tun");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "tcp"})
    void stockClientJoinsCulvertServer(String proto, @TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(scenario(proto), dir, 1)) {
            rig.startCulvertServer();
            OpenvpnProcess client = rig.startStockClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
            assertTrue(ping.noLoss(), () -> ping.output() + "\nclient:\n" + client.logTail(30) + "\nserver:\n" + rig.serverLogTail(30));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "tcp"})
    void culvertClientJoinsStockServer(String proto, @TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(scenario(proto), dir)) {
            OpenvpnProcess client = rig.startCulvertClient();
            PingResult ping = rig.pingServer(3);
            assertTrue(ping.noLoss(), () -> ping.output() + "\nclient:\n" + client.logTail(40) + "\nserver:\n"
                    + rig.server().logTail(30));
        }
    }

    @Test
    void clientKeyWrappedByAnotherServerKeyIsRefused(@TempDir Path dir) throws InterruptedException {
        try (MultiClientRig rig = MultiClientRig.create(scenario("udp"), dir, 2)) {
            Path foreign = rig.pki().dir().resolve("foreign-client.key");
            Path config = dir.resolve("foreign.ovpn");
            try {
                TestPki.writeTlsCryptV2Client(foreign, TlsCryptV2ServerKey.generate(new SecureRandom()));
                String ovpn = Files.readString(rig.clientConfig(2));
                String own = ovpn.substring(ovpn.indexOf("<tls-crypt-v2>"), ovpn.indexOf("</tls-crypt-v2>") + 15);
                Files.writeString(config, ovpn.replace(own, TestPki.inline("tls-crypt-v2", foreign).strip()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rig.startCulvertServer();
            rig.startStockClient(1);
            try (OpenvpnProcess intruder = OpenvpnProcess.stock(rig.clientNs(2), config, dir)) {
                Thread.sleep(8_000);
                assertFalse(intruder.log().contains(OpenvpnProcess.READY), () -> intruder.logTail(30));
                assertTrue(intruder.isAlive(), "the client is still waiting for an answer, not refused by TLS");
            }
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 2);
            assertTrue(ping.noLoss(), () -> "the genuine client still gets through:\n" + ping.output());
        }
    }
}
