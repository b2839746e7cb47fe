package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.EarlyNegotiation;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.testkit.MemoryPki;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The UDP server's stateless path with tls-crypt-v2, fed in process without a socket: forged, garbage, replayed and
 * foreign-key V3 resets and P_CONTROL_WKC_V1 packets allocate no instance and throw nothing; only a genuine client
 * that resends its WKc with the cookie gets one.
 */
class ServerTlsCryptV2HostileTest {
    private static final TlsCryptV2ServerKey SERVER_KEY = TlsCryptV2ServerKey.generate(new SecureRandom());
    private static final byte[] TIMESTAMP = {1, 0, 0, 0, 0, 0x6a, 0, 0, 0};
    private static final TlsCryptV2ClientKey CLIENT_KEY =
            TlsCryptV2ClientKey.create(SERVER_KEY, StaticKey.generate(new SecureRandom()), TIMESTAMP);
    private static final TlsCryptV2ClientKey FOREIGN_KEY = TlsCryptV2ClientKey.create(
            TlsCryptV2ServerKey.generate(new SecureRandom()), StaticKey.generate(new SecureRandom()), TIMESTAMP);

    private final RecordingLink output = new RecordingLink();
    private final InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40001);
    private final ServerCore core;

    ServerTlsCryptV2HostileTest() throws Exception {
        ServerSettings settings = ServerSettings.builder(MemoryPki.shared().serverTls())
                .wrap(ControlWrapSpec.tlsCryptV2Server(SERVER_KEY, 0)).dataCiphers(List.of("AES-256-GCM"))
                .keepalive(10, 60).renegSec(0).build();
        core = new ServerCore(settings, new LoopbackNetwork.SubnetAdmission(), (b, off, len) -> { }, output, false,
                io.culvert.engine.common.PairPolicy.OPEN, (Inet4Address) InetAddress.getByName("10.8.0.255"), 16, false, e -> { }, InstantSource.system(),
                new SecureRandom(), Runnable::run);
    }

    private static ControlWrap clientWrap(TlsCryptV2ClientKey key) {
        return ControlWrapSpec.tlsCryptV2Client(key).newSession(false, InstantSource.system());
    }

    private static byte[] reset(ControlWrap wrap, long sid) {
        return wrap.wrap(new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V3, 0, sid, null, 0, 0, null).toBytes());
    }

    private void feed(byte[] packet) {
        core.onUdp(from, packet, packet.length);
    }

    private byte[] receive() {
        RecordingLink.Sent s = output.take();
        assertEquals(from, s.to().address(), "the reply goes back to the sender");
        return s.packet();
    }

    @Test
    void floodOfForgedResetsAndWkcPacketsAllocatesNothing() {
        Random rnd = new Random(26);
        ControlWrap genuine = clientWrap(CLIENT_KEY);
        byte[] goodReset = reset(genuine, 0x1111);
        byte[] wkcNoCookie = genuine.wrap(new ControlPacket(Opcode.CONTROL_WKC_V1, 0, 0x1111, new long[] {0}, 0x4242, 1,
                new byte[20]).toBytes());
        byte[] foreign = reset(clientWrap(FOREIGN_KEY), 0x2222);
        ControlWrap oldClient = ControlWrapSpec.tlsCrypt(CLIENT_KEY.key()).newSession(false, InstantSource.system());
        byte[] noEarlyNeg = oldClient.wrap(new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V3, 0, 0x3333, null, 0, 0,
                null).toBytes());
        byte[] noEarlyNegWithWkc = Arrays.copyOf(noEarlyNeg, noEarlyNeg.length + CLIENT_KEY.wkc().length);
        System.arraycopy(CLIENT_KEY.wkc(), 0, noEarlyNegWithWkc, noEarlyNeg.length, CLIENT_KEY.wkc().length);
        List<byte[]> seeds = List.of(goodReset, wkcNoCookie, foreign, noEarlyNegWithWkc);
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            switch (i % 5) {
                case 0 -> {
                    b = new byte[rnd.nextInt(1400)];
                    rnd.nextBytes(b);
                    if (b.length > 0) {
                        b[0] = (byte) ((rnd.nextBoolean() ? 10 : 11) << 3);
                    }
                }
                case 1 -> {
                    b = seeds.get(rnd.nextInt(seeds.size())).clone();
                    b[1 + rnd.nextInt(b.length - 1)] ^= (byte) (1 + rnd.nextInt(255));
                }
                case 2 -> b = Arrays.copyOf(goodReset, rnd.nextInt(goodReset.length));
                default -> b = seeds.get(1 + rnd.nextInt(seeds.size() - 1));
            }
            feed(b);
        }
        assertEquals(0, core.instanceCount());
        assertEquals(0, core.instancesCreated());
        Map<String, Long> drops = core.drops();
        assertTrue(drops.getOrDefault("CONTROL_AUTH_FAILED", 0L) > 1000, drops::toString);
        assertTrue(drops.getOrDefault("WRONG_SESSION", 0L) > 1000, () -> "WKC_V1 without a cookie: " + drops);
        assertTrue(drops.getOrDefault("UNEXPECTED", 0L) > 1000, () -> "V3 without early negotiation: " + drops);
    }

    @Test
    void genuineClientIsAskedToResendItsWkcAndOnlyThenGetsAnInstance() throws Exception {
        ControlWrap client = clientWrap(CLIENT_KEY);
        feed(reset(client, 0x1111));
        Decoded<byte[]> reply = client.unwrap(receive());
        assertTrue(reply.isOk(), () -> "reply: " + reply.reason());
        ControlPacket serverReset = ControlPacket.parse(reply.value(), 0, reply.value().length).value();
        assertEquals(Opcode.CONTROL_HARD_RESET_SERVER_V2, serverReset.opcode());
        assertEquals(new EarlyNegotiation(true), EarlyNegotiation.parse(serverReset.payload(), 0, serverReset.payloadLength()).value());
        assertEquals(0, core.instanceCount(), "stateless until the client proves its address");

        byte[] ackWithoutWkc = client.wrap(ControlPacket.ack(0, 0x1111, new long[] {0}, serverReset.sessionId()).toBytes());
        feed(ackWithoutWkc);
        assertEquals(0, core.instanceCount(), "a v2 server has no key for a packet without WKc");

        byte[] wkc = client.wrap(new ControlPacket(Opcode.CONTROL_WKC_V1, 0, 0x1111, new long[] {0}, serverReset.sessionId(),
                1, new byte[0]).toBytes());
        feed(wkc);
        assertEquals(1, core.instanceCount());
        feed(wkc);
        assertEquals(1, core.instancesCreated(), "a resent WKC_V1 goes to the instance");
        assertNotNull(core.instances());
    }
}
