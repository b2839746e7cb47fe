package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.testkit.FreePorts;
import io.culvert.engine.tun.CommandRunner;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.NoNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UDP client dialling a loopback port where nothing listens (the kernel answers with ICMP port unreachable, which
 * OpenVPN and Culvert shrug off) is told within 5 s how many handshake packets went unanswered, as a typed event and
 * as a log line, instead of only "waiting".
 */
class NoAnswerHintTest {

    @Test
    void unansweredHandshakeIsReportedWithinFiveSeconds(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        int deadPort = FreePorts.udp(); // free once closed: nothing listens there
        Path file = dir.resolve("client.ovpn");
        Files.writeString(file, """
                client
                dev tun
                proto udp
                remote 127.0.0.1 %d
                nobind
                remote-cert-tls server
                ca %s
                cert %s
                key %s
                tls-crypt %s
                """.formatted(deadPort, pki.ca(), pki.clientCert(), pki.clientKey(), pki.tcKey()));
        ClientProfile profile = ClientProfile.from(ClientConfig.load(file, false), prompt -> Optional.empty());
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        ClientRunner client = new ClientRunner(profile, events::add, (name, tap, mtu) -> new InMemoryTun("c0", tap, mtu),
                new NoNetConfig(), new DnsConfig(argv -> CommandRunner.Result.ok(""), false), InstantSource.system());
        long started = System.nanoTime();
        Thread clientThread = Thread.ofPlatform().start(client::run);
        try {
            EngineEvent.NoAnswer hint = null;
            while (hint == null && System.nanoTime() - started < 5_000_000_000L) {
                hint = events.stream().filter(EngineEvent.NoAnswer.class::isInstance).map(EngineEvent.NoAnswer.class::cast)
                        .findFirst().orElse(null);
                Thread.sleep(20);
            }
            long afterMillis = (System.nanoTime() - started) / 1_000_000;
            assertNotNull(hint, () -> "no hint within 5 s: " + events);
            assertTrue(afterMillis < 5000, () -> "hint after " + afterMillis + " ms");
            EngineEvent.NoAnswer first = hint;
            assertEquals(2, first.handshakePackets());
            assertEquals("127.0.0.1:" + deadPort + "/udp", first.remote());
            assertTrue(first.waited().toMillis() >= 1000, () -> "waited " + first.waited());
            String line = "Sent 2 handshake packets to 127.0.0.1:" + deadPort
                    + ", no answer yet (a blocked UDP port or a wrong address looks the same)";
            assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.Log l && l.level() == EngineEvent.Level.WARN
                    && l.message().equals(line)), () -> "no log line '" + line + "' in " + events);
            assertEquals(ConnectionState.WAIT, client.state());
        } finally {
            client.stop();
            clientThread.join(5000);
        }
    }
}
