package io.culvert.engine.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryTunTest {

    @Test
    void readReturnsInjectedPacketsInOrder() throws IOException {
        InMemoryTun tun = new InMemoryTun("tun9", false, 1500);
        tun.inject(new byte[] {1, 2, 3});
        tun.inject(new byte[] {4});
        byte[] buf = new byte[10];

        assertEquals(3, tun.read(buf, 2, 8));
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 0, 0, 0, 0, 0}, buf);
        assertEquals(1, tun.read(buf, 0, 10));
        assertEquals(4, buf[0]);
    }

    @Test
    void injectCopiesThePacket() throws IOException {
        InMemoryTun tun = new InMemoryTun("tun9", false, 1500);
        byte[] packet = {7, 7};
        tun.inject(packet);
        packet[0] = 0;
        byte[] buf = new byte[2];

        tun.read(buf, 0, 2);

        assertArrayEquals(new byte[] {7, 7}, buf);
    }

    @Test
    void writtenPacketsAreCopiedSlices() throws Exception {
        InMemoryTun tun = new InMemoryTun("tap9", true, 1500);
        byte[] buf = {9, 1, 2, 3, 9};

        tun.write(buf, 1, 3);
        buf[1] = 0;

        assertArrayEquals(new byte[] {1, 2, 3}, tun.takeWritten(1, TimeUnit.SECONDS));
        assertNull(tun.takeWritten(10, TimeUnit.MILLISECONDS));
        assertTrue(tun.isTap());
    }

    @Test
    void rejectsPacketLargerThanBuffer() {
        InMemoryTun tun = new InMemoryTun("tun9", false, 1500);
        tun.inject(new byte[100]);

        assertThrows(IOException.class, () -> tun.read(new byte[99], 0, 99));
    }

    @Test
    void boundsBothQueues() throws IOException {
        InMemoryTun tun = new InMemoryTun("tun9", false, 1500);
        for (int i = 0; i < InMemoryTun.DEFAULT_CAPACITY; i++) {
            tun.inject(new byte[1]);
            tun.write(new byte[1], 0, 1);
        }

        assertThrows(IllegalStateException.class, () -> tun.inject(new byte[1]));
        tun.write(new byte[1], 0, 1);
        assertEquals(1, tun.droppedWrites());
    }

    @Test
    void closeWakesBlockedReader() throws Exception {
        InMemoryTun tun = new InMemoryTun("tun9", false, 1500);
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return tun.read(new byte[1500], 0, 1500);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);

        tun.close();
        tun.close();

        assertEquals(-1, assertTimeoutPreemptively(Duration.ofMillis(200), () -> reader.get()));
        assertThrows(IOException.class, () -> tun.write(new byte[1], 0, 1));
    }

    @Test
    void pairConnectsTwoDevicesBackToBack() throws IOException {
        InMemoryTun[] pair = InMemoryTun.pair("client", "server", 1400);
        byte[] buf = new byte[1400];

        pair[0].write(new byte[] {1, 2}, 0, 2);
        pair[1].write(new byte[] {3}, 0, 1);

        assertEquals(2, pair[1].read(buf, 0, buf.length));
        assertEquals(2, buf[1]);
        assertEquals(1, pair[0].read(buf, 0, buf.length));
        assertEquals(3, buf[0]);
    }
}
