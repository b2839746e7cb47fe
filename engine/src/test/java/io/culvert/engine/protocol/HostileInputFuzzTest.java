package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.protocol.reliable.ReliableLink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and mutated inputs through every parser: nothing throws, and whatever parses re-encodes consistently. */
class HostileInputFuzzTest {

    private static final int ROUNDS = 20_000;

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        Capture.udpFrames("udp-none-aes256gcm").forEach(f -> seeds.add(f.bytes()));
        byte[] r = new byte[32];
        seeds.add(new KeyMethod2(new byte[48], r, r, "V4,dev-type tun", "u", "p", "IV_VER=2.6.14\n").toBytes());
        seeds.add(new KeyMethod2(null, r, r, "V4,tls-server", "", "", "").toBytes());
        seeds.add("PUSH_REPLY,route 10.0.0.0 255.0.0.0,echo \"a b\",push-continuation 2\0EXIT\0".getBytes(StandardCharsets.US_ASCII));
        seeds.add(DataMessages.occExit());
        seeds.add(DataMessages.ping());
        return seeds;
    }

    private static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(5)) {
            case 0 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            case 1 -> {
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n && b.length > 0; i++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 2 -> {
                if (b.length > 10) {
                    b[9] = (byte) rnd.nextInt(12);
                }
            }
            case 3 -> {
                byte[] longer = Arrays.copyOf(b, b.length + rnd.nextInt(64));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) rnd.nextInt(256);
                }
                b = longer;
            }
            default -> {
                b = new byte[rnd.nextInt(80)];
                rnd.nextBytes(b);
            }
        }
        return b;
    }

    @Test
    void everyParserSurvivesRandomAndMutatedInput() {
        Random rnd = new Random(20261121);
        List<byte[]> seeds = seeds();
        ControlMessageReader reader = new ControlMessageReader();
        ReliableLink link = new ReliableLink(0, 0x2222L, 100, 2000);
        int parsedControl = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] b = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            int off = b.length == 0 ? 0 : rnd.nextInt(Math.min(3, b.length + 1));
            int len = b.length - off;

            Decoded<ControlPacket> cp = ControlPacket.parse(b, off, len);
            if (cp.isOk()) {
                parsedControl++;
                assertArrayEquals(Arrays.copyOfRange(b, off, off + len), cp.value().toBytes());
                link.receive(cp.value(), i);
                link.poll(i);
                link.takeInOrderStream();
            } else {
                assertNotNull(cp.reason());
            }
            for (boolean fromClient : new boolean[] {true, false}) {
                Decoded<KeyMethod2> km = KeyMethod2.parse(b, off, len, fromClient);
                if (km.isOk()) {
                    byte[] again = km.value().toBytes();
                    assertEquals(km.value(), KeyMethod2.parse(again, 0, again.length, fromClient).value());
                }
                int frame = KeyMethod2.frameLength(b, off, len, fromClient);
                assertTrue(frame >= -1 && frame <= len);
            }
            ControlMessages.split(b, off, len).forEach(m -> {
                assertFalse(m.isEmpty());
                PushReply.parse(m);
            });
            reader.feed(b, off, len).forEach(PushReply::parse);
            assertTrue(reader.bufferedBytes() < ControlMessages.MAX_MESSAGE_WITH_NUL);
            for (CompressionFraming f : CompressionFraming.values()) {
                Decoded<byte[]> u = f.unframe(b, off, len);
                if (u.isOk() && u.value().length > 0 && f != CompressionFraming.V2_STUB) {
                    byte[] again = f.frame(u.value(), 0, u.value().length);
                    assertArrayEquals(Arrays.copyOfRange(b, off, off + len), again, f.name());
                }
            }
            DataMessages.isPing(b, off, len);
            DataMessages.occOpcode(b, off, len);
        }
        assertTrue(parsedControl > ROUNDS / 10, "the fuzz reaches the parsed path: " + parsedControl);
    }

    @Test
    void pushReplyParserSurvivesRandomText() {
        Random rnd = new Random(7);
        String alphabet = "PUSH_REPLY, \"'\\\t#;abc123-push-continuation 12\u0001é";
        for (int i = 0; i < ROUNDS; i++) {
            StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "PUSH_REPLY," : "");
            for (int n = rnd.nextInt(60); n > 0; n--) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            Decoded<PushReply> d = PushReply.parse(sb.toString());
            if (d.isOk()) {
                PushReply again = PushReply.parse(d.value().toMessage()).value();
                assertEquals(d.value(), again, sb.toString());
            }
        }
    }
}
