package io.culvert.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.ManualClock;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event loop as a runner uses it: packets from a reader thread arrive in order in the ring's own buffers, a full
 * ring holds the reader back instead of growing, inboxes are bounded, the owner wakes per batch and flushes once per
 * batch, ticks follow the injected clock, and stop ends everything.
 */
@Timeout(20)
class EventLoopTest {
    private static final class Recorder implements EventLoop.Owner {
        final AtomicInteger batches = new AtomicInteger();
        final List<Long> ticks = Collections.synchronizedList(new ArrayList<>());
        final List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void endOfBatch() {
            batches.incrementAndGet();
        }

        @Override
        public void tick(long nowMillis) {
            ticks.add(nowMillis);
        }

        @Override
        public void failed(RuntimeException e) {
            failures.add(e);
        }
    }

    private static Thread start(EventLoop loop, EventLoop.Owner owner) {
        return Thread.ofPlatform().start(() -> loop.run(owner));
    }

    @Test
    void packetsFromAReaderArriveInOrderInReusedBuffersAndAreFlushedPerBatch() throws Exception {
        EventLoop loop = new EventLoop(InstantSource.system(), 1000, 16);
        int total = 20_000;
        List<Integer> seen = new ArrayList<>();
        List<byte[]> buffers = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(1);
        EventLoop.PacketRing ring = loop.ring(8, 64, (buf, len, meta) -> {
            assertEquals(4, len);
            seen.add(ByteBuffer.wrap(buf).getInt());
            if (!buffers.contains(buf)) {
                buffers.add(buf);
            }
            if (seen.size() == total) {
                all.countDown();
            }
        });
        Recorder owner = new Recorder();
        Thread t = start(loop, owner);
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    int slot = ring.claim();
                    ByteBuffer.wrap(ring.buffer(slot)).putInt(i);
                    ring.publish(slot, 4, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(all.await(10, TimeUnit.SECONDS));
        reader.join();
        loop.stop();
        t.join();
        for (int i = 0; i < total; i++) {
            assertEquals(i, seen.get(i));
        }
        assertTrue(buffers.size() <= 8, () -> "buffers used: " + buffers.size());
        assertTrue(owner.batches.get() <= total, "at most one flush per packet");
        assertTrue(owner.failures.isEmpty());
    }

    @Test
    void aFullRingHoldsTheReaderUntilTheOwnerCatchesUp() throws Exception {
        EventLoop loop = new EventLoop(InstantSource.system(), 1000, 16);
        AtomicInteger handled = new AtomicInteger();
        EventLoop.PacketRing ring = loop.ring(4, 16, (buf, len, meta) -> handled.incrementAndGet());
        AtomicInteger published = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    int slot = ring.claim();
                    if (slot < 0) {
                        return;
                    }
                    ring.publish(slot, 1, null);
                    published.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 100 && published.get() < 4; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertEquals(4, published.get(), "no owner yet: the reader stops at the ring's size");
        Thread t = start(loop, new Recorder());
        reader.join(5000);
        assertEquals(10, published.get());
        for (int i = 0; i < 100 && handled.get() < 10; i++) {
            Thread.sleep(10);
        }
        assertEquals(10, handled.get());
        loop.stop();
        t.join();
    }

    @Test
    void stopReleasesAReaderWaitingForRoom() throws Exception {
        EventLoop loop = new EventLoop(InstantSource.system(), 1000, 16);
        EventLoop.PacketRing ring = loop.ring(1, 16, (buf, len, meta) -> { });
        ring.publish(ring.claim(), 1, null);
        AtomicInteger claimed = new AtomicInteger(99);
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                claimed.set(ring.claim());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(100);
        assertTrue(reader.isAlive());
        loop.stop();
        reader.join(2000);
        assertEquals(-1, claimed.get());
    }

    @Test
    void inboxesAreBoundedAndTasksRunOnTheOwnerThread() throws Exception {
        EventLoop loop = new EventLoop(InstantSource.system(), 1000, 16);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        EventLoop.Inbox<String> inbox = loop.inbox(2, got::add);
        assertTrue(inbox.offer("a"));
        assertTrue(inbox.offer("b"));
        assertFalse(inbox.offer("c"), "full");
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        Thread t = start(loop, new Recorder());
        loop.execute(() -> {
            taskThread.set(Thread.currentThread());
            assertTrue(loop.inLoop());
            ran.countDown();
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertSame(t, taskThread.get());
        // the task inbox drains before other inboxes in a pass, so the task may run before "a" and "b"
        // are handled; a second task queued now runs in a later pass, after that pass's inboxes
        CountDownLatch later = new CountDownLatch(1);
        loop.execute(later::countDown);
        assertTrue(later.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b"), got);
        assertFalse(loop.inLoop());
        loop.stop();
        t.join();
        assertFalse(inbox.offer("d"), "stopped");
    }

    @Test
    void ticksFollowTheInjectedClock() throws Exception {
        ManualClock clock = new ManualClock();
        EventLoop loop = new EventLoop(clock, 100, 16);
        Recorder owner = new Recorder();
        Thread t = start(loop, owner);
        Thread.sleep(300);
        assertTrue(owner.ticks.isEmpty(), "the manual clock has not moved");
        clock.advanceMillis(100);
        for (int i = 0; i < 200 && owner.ticks.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of(clock.millis()), owner.ticks);
        loop.stop();
        t.join();
    }

    @Test
    void aFailingHandlerIsReportedAndTheLoopGoesOn() throws Exception {
        EventLoop loop = new EventLoop(InstantSource.system(), 1000, 16);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        EventLoop.Inbox<String> inbox = loop.inbox(8, s -> {
            if (s.equals("bad")) {
                throw new IllegalStateException(s);
            }
            got.add(s);
        });
        inbox.offer("bad");
        inbox.offer("good");
        Recorder owner = new Recorder();
        Thread t = start(loop, owner);
        for (int i = 0; i < 200 && got.isEmpty(); i++) {
            Thread.sleep(10);
        }
        loop.stop();
        t.join();
        assertEquals(List.of("good"), got);
        assertEquals(1, owner.failures.size());
    }

    @Test
    void theOwnerHoldsItsLockWhileItWorksSoAReaderHoldingItKeepsTheOwnerOut() throws Exception {
        EventLoop loop = new EventLoop(InstantSource.system(), 20, 16);
        AtomicBoolean released = new AtomicBoolean();
        List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(1);
        EventLoop.PacketRing ring = loop.ring(4, 16, (buf, len, meta) -> {
            if (!loop.ownerLock().isHeldByCurrentThread()) {
                wrong.add("handler without the lock");
            }
            if (!released.get()) {
                wrong.add("handled while a reader held the lock");
            }
            handled.countDown();
        });
        AtomicInteger ticks = new AtomicInteger();
        Thread t = start(loop, new EventLoop.Owner() {
            @Override
            public void endOfBatch() {
                if (!loop.ownerLock().isHeldByCurrentThread()) {
                    wrong.add("endOfBatch without the lock");
                }
            }

            @Override
            public void tick(long nowMillis) {
                if (!loop.ownerLock().isHeldByCurrentThread()) {
                    wrong.add("tick without the lock");
                }
                ticks.incrementAndGet();
            }

            @Override
            public void failed(RuntimeException e) {
                wrong.add(e.toString());
            }
        });
        while (ticks.get() < 2) {
            Thread.sleep(5);
        }
        loop.ownerLock().lock(); // a reader on its fast path: the owner must wait for it
        try {
            int slot = ring.claim();
            ring.publish(slot, 1, null);
            Thread.sleep(50); // give an owner that ignored the lock the chance to show it
            released.set(true);
        } finally {
            loop.ownerLock().unlock();
        }
        assertTrue(handled.await(10, TimeUnit.SECONDS));
        loop.stop();
        t.join();
        assertEquals(List.of(), wrong);
        assertFalse(loop.ownerLock().isLocked(), "not held once the loop ended");
    }
}
