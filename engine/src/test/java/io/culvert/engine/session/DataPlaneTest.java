package io.culvert.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.protocol.CompressionFraming;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The key set published to the data threads across a rekey, with a sending and a receiving thread running while a
 * third (the "session") publishes: packets of both generations open during the transition, none opens with the old
 * generation once a snapshot without it is published, and the payloads come through intact.
 */
class DataPlaneTest {
    private static final InstantSource CLOCK = InstantSource.system();
    private static final int PAYLOAD = 200;

    private static byte[] key2(int seed) {
        byte[] k = new byte[256];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 7 + seed);
        }
        return k;
    }

    /** One key generation as both ends hold it. */
    private record Gen(DataPlane.Generation client, DataPlane.Generation server) {
        static Gen of(int keyId, int seed) {
            return new Gen(new DataPlane.Generation(keyId, DataChannel.create(DataCipher.AES_256_GCM, "SHA1", key2(seed), false, CLOCK)),
                    new DataPlane.Generation(keyId, DataChannel.create(DataCipher.AES_256_GCM, "SHA1", key2(seed), true, CLOCK)));
        }
    }

    private static DataPlane.Keys keys(DataPlane.Generation primary, DataPlane.Generation lameDuck, DataPlane.Generation send) {
        return new DataPlane.Keys(primary, lameDuck, send, 5, CompressionFraming.NONE, 0, true);
    }

    @Test
    void bothGenerationsOpenDuringTheTransitionAndTheRetiredOneNeverAfter() throws Exception {
        Gen old = Gen.of(1, 1);
        Gen fresh = Gen.of(2, 2);
        DataPlane server = new DataPlane(CLOCK);
        DataPlane clientOld = new DataPlane(CLOCK);
        DataPlane clientNew = new DataPlane(CLOCK);
        server.publish(keys(old.server(), null, old.server()));
        clientOld.publish(keys(old.client(), null, old.client()));
        clientNew.publish(keys(fresh.client(), old.client(), fresh.client()));

        BlockingQueue<byte[]> wire = new ArrayBlockingQueue<>(64);
        AtomicInteger phase = new AtomicInteger(1); // 1: old only, 2: both sent, 3: old retired at the receiver, 0: retiring
        AtomicReference<Throwable> failed = new AtomicReference<>();
        int[][] opened = new int[5][3]; // [phase seen before opening][key id] successful opens
        int[][] noKey = new int[5][3];
        AtomicInteger received = new AtomicInteger();

        Thread sender = Thread.ofPlatform().name("test-sender").start(() -> {
            byte[] buf = new byte[DataPlane.HEADROOM + PAYLOAD + DataPlane.TAILROOM];
            Span out = new Span();
            try {
                for (int seq = 0; phase.get() < 4; seq++) {
                    DataPlane plane = phase.get() >= 2 && seq % 2 == 1 ? clientNew : clientOld;
                    Arrays.fill(buf, DataPlane.HEADROOM, DataPlane.HEADROOM + PAYLOAD, (byte) seq);
                    assertNull(plane.seal(buf, DataPlane.HEADROOM, PAYLOAD, out));
                    wire.put(out.toArray());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        Thread receiver = Thread.ofPlatform().name("test-receiver").start(() -> {
            byte[] buf = new byte[2048];
            Span payload = new Span();
            try {
                while (phase.get() < 4) {
                    byte[] packet = wire.poll(10, TimeUnit.MILLISECONDS);
                    if (packet == null) {
                        continue;
                    }
                    System.arraycopy(packet, 0, buf, 0, packet.length);
                    int before = phase.get();
                    int keyId = packet[0] & 0x07;
                    DropReason drop = server.open(buf, 0, packet.length, payload);
                    if (phase.get() != before) {
                        // The receiver's keys changed while this packet was opened: it may go either way.
                        received.incrementAndGet();
                        continue;
                    }
                    if (drop == null) {
                        byte seq = payload.array()[payload.offset()];
                        for (int i = 0; i < PAYLOAD; i++) {
                            assertEquals(seq, payload.array()[payload.offset() + i], "payload intact");
                        }
                        assertEquals(PAYLOAD, payload.length());
                        opened[before][keyId]++;
                    } else {
                        assertSame(DropReason.NO_KEY, drop);
                        noKey[before][keyId]++;
                    }
                    received.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failed.set(t);
            }
        });

        awaitReceived(received, 2_000);
        // Rekey: the receiver gets the new primary with the old one as lame duck, then the sender sends on both.
        server.publish(keys(fresh.server(), old.server(), fresh.server()));
        phase.set(2);
        awaitReceived(received, received.get() + 4_000);
        // The lame duck expires. Phase 0 marks the change itself, so that a packet opened across it is not counted.
        phase.set(0);
        server.publish(keys(fresh.server(), null, fresh.server()));
        phase.set(3);
        awaitReceived(received, received.get() + 4_000);
        phase.set(4);
        sender.join(5_000);
        receiver.interrupt();
        receiver.join(5_000);
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }

        assertTrue(opened[1][1] > 1_000, "old key before the rekey: " + opened[1][1]);
        assertEquals(0, noKey[1][1] + noKey[2][1] + noKey[2][2], "nothing refused before the lame duck expired");
        assertTrue(opened[2][1] > 1_000 && opened[2][2] > 1_000,
                "both generations during the transition: old " + opened[2][1] + ", new " + opened[2][2]);
        assertEquals(0, opened[3][1], "no packet opened with the retired key after it was retired");
        assertTrue(noKey[3][1] > 1_000, "retired-key packets refused: " + noKey[3][1]);
        assertTrue(opened[3][2] > 1_000, "the new key goes on: " + opened[3][2]);
    }

    @Test
    void theSenderFollowsThePeerToTheNewPrimaryOnceHeardOnIt() {
        Gen old = Gen.of(1, 1);
        Gen fresh = Gen.of(2, 2);
        DataPlane client = new DataPlane(CLOCK);
        DataPlane server = new DataPlane(CLOCK);
        client.publish(keys(fresh.client(), old.client(), old.client()));
        server.publish(keys(fresh.server(), old.server(), fresh.server()));
        byte[] buf = new byte[DataPlane.HEADROOM + PAYLOAD + DataPlane.TAILROOM];
        Span span = new Span();

        assertNull(client.seal(buf, DataPlane.HEADROOM, PAYLOAD, span));
        assertEquals(1, span.array()[span.offset()] & 0x07, "still on the old key");
        assertNull(server.seal(buf, DataPlane.HEADROOM, PAYLOAD, span));
        byte[] fromServer = span.toArray();
        byte[] rx = Arrays.copyOf(fromServer, fromServer.length + DataPlane.TAILROOM);
        assertNull(client.open(rx, 0, fromServer.length, span));
        assertNull(client.seal(buf, DataPlane.HEADROOM, PAYLOAD, span));
        assertEquals(2, span.array()[span.offset()] & 0x07, "the server sent on the new key, so the client does too");
        assertTrue(client.lastReceived() > 0 && client.lastSent() > 0);
        assertEquals(PAYLOAD, client.bytesIn());
        assertEquals(2L * PAYLOAD, client.bytesOut());
    }

    private static void awaitReceived(AtomicInteger received, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(received.get() >= atLeast, "only " + received.get() + " packets went through");
    }
}
