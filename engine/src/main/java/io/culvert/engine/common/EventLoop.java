package io.culvert.engine.common;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One owner thread's event loop, for a runner whose reader threads feed a single-threaded, I/O-free core: bounded
 * {@link PacketRing}s (one reader each, reused buffers, no copy and no allocation per packet), bounded
 * {@link Inbox}es for other events, a task {@link #execute queue}, a tick every {@code tickMillis} on the injected
 * clock, and {@link #stop()}. The owner wakes once per batch: after a wake-up it takes everything that arrived, hands
 * it to the handlers, calls {@link Owner#endOfBatch()} (where batched output is flushed) and sleeps only when nothing
 * is left and no tick is due. A reader only wakes the owner when the owner sleeps.
 *
 * <p>The owner holds the {@link #ownerLock()} while it handles a batch, ticks or flushes, and not while it sleeps; a
 * reader that handles a packet itself instead of handing it over (the server's run-to-completion fast path, ADR 0041)
 * takes the same lock around the core, so the core still has one owner at a time.
 *
 * <p>Thread-safety: {@link #run} is called by the owner thread, which runs every handler; rings are filled by one
 * producer thread each; {@link Inbox#offer}, {@link Inbox#put}, {@link #execute}, {@link #stop} and
 * {@link #inLoop} may be called from any thread. Create rings and inboxes before {@link #run}.
 */
public final class EventLoop implements Executor {
    /** What the owner does besides handling items; called on the owner thread. */
    public interface Owner {
        /** After each batch of items, before the owner may sleep: flush batched output here. */
        void endOfBatch();

        /** Every tick interval, on the loop's clock. */
        void tick(long nowMillis);

        /** A handler, {@link #endOfBatch} or {@link #tick} threw; the loop goes on with the next item. */
        void failed(RuntimeException e);
    }

    /** Handles one packet from a {@link PacketRing}; {@code buf} is the ring's again once this returns. */
    @FunctionalInterface
    public interface PacketHandler {
        void onPacket(byte[] buf, int len, Object meta);
    }

    private final InstantSource clock;
    private final long tickMillis;
    private final ReentrantLock lock = new ReentrantLock();
    /** The owner waits here for work; signalled only while {@link #sleeping}. */
    private final Condition work = lock.newCondition();
    /** Producers wait here for room in a full ring or inbox. */
    private final Condition room = lock.newCondition();
    /** Held by whoever works on the owner's state: the owner for each batch and tick, a reader on its fast path. */
    private final ReentrantLock ownerLock = new ReentrantLock();
    private final List<PacketRing> rings = new ArrayList<>();
    private final List<Inbox<?>> inboxes = new ArrayList<>();
    private final Inbox<Runnable> tasks;
    private volatile boolean sleeping;
    private volatile boolean stopped;
    private volatile Thread owner;

    /** A loop that ticks every {@code tickMillis} on {@code clock}; tasks queue up to {@code taskCapacity}. */
    public EventLoop(InstantSource clock, long tickMillis, int taskCapacity) {
        if (tickMillis < 1) {
            throw new IllegalArgumentException("tickMillis " + tickMillis);
        }
        this.clock = clock;
        this.tickMillis = tickMillis;
        this.tasks = inbox(taskCapacity, Runnable::run);
    }

    /** A ring of {@code slots} buffers of {@code slotBytes} each for one producer thread. */
    public PacketRing ring(int slots, int slotBytes, PacketHandler handler) {
        PacketRing r = new PacketRing(slots, slotBytes, handler);
        rings.add(r);
        return r;
    }

    /** A bounded inbox of at most {@code capacity} items for any number of producers. */
    public <T> Inbox<T> inbox(int capacity, Consumer<T> handler) {
        Inbox<T> in = new Inbox<>(capacity, handler);
        inboxes.add(in);
        return in;
    }

    /** Runs {@code task} on the owner thread; never drops it and never blocks the caller (a full queue is waited on aside). */
    @Override
    public void execute(Runnable task) {
        if (!tasks.offer(task)) {
            Threads.virtual("culvert-loop-enqueue").start(() -> {
                try {
                    tasks.put(task);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /**
     * The lock the owner holds while it handles items, ticks and flushes (never while it sleeps). A reader that runs a
     * packet through the owner's state itself takes it around that work.
     */
    public ReentrantLock ownerLock() {
        return ownerLock;
    }

    /** True on the owner thread while {@link #run} runs. */
    public boolean inLoop() {
        return Thread.currentThread() == owner;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Ends {@link #run} after the current batch and releases producers waiting for room. */
    public void stop() {
        stopped = true;
        lock.lock();
        try {
            work.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs the loop on the calling thread until {@link #stop()}; items still queued then are not handled. */
    public void run(Owner o) {
        owner = Thread.currentThread();
        long nextTick = clock.millis() + tickMillis;
        try {
            while (!stopped) {
                int handled;
                long now;
                boolean ticked = false;
                ownerLock.lock();
                try {
                    handled = drain(o);
                    if (handled > 0) {
                        guarded(o, o::endOfBatch);
                    }
                    now = clock.millis();
                    if (now >= nextTick) {
                        final long at = now;
                        guarded(o, () -> o.tick(at));
                        nextTick = now + tickMillis;
                        ticked = true;
                    }
                } finally {
                    ownerLock.unlock();
                }
                if (!ticked && handled == 0) {
                    sleep(Math.min(tickMillis, nextTick - now));
                }
            }
        } finally {
            owner = null;
        }
    }

    private int drain(Owner o) {
        int n = 0;
        for (PacketRing r : rings) {
            n += r.drain(o);
        }
        for (Inbox<?> in : inboxes) {
            n += in.drain(o);
        }
        return n;
    }

    private boolean pending() {
        for (PacketRing r : rings) {
            if (r.published != r.consumed) {
                return true;
            }
        }
        for (Inbox<?> in : inboxes) {
            if (!in.items.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void sleep(long millis) {
        lock.lock();
        try {
            sleeping = true;
            // Producers publish, then read sleeping; we set sleeping, then look: one of us sees the other.
            if (!pending() && !stopped) {
                work.await(millis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        } finally {
            sleeping = false;
            lock.unlock();
        }
    }

    private void wakeOwner() {
        if (sleeping) {
            lock.lock();
            try {
                work.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private static void guarded(Owner o, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            o.failed(e);
        }
    }

    /**
     * A single-producer ring of reused packet buffers: the producer {@link #claim}s a slot, fills its
     * {@link #buffer}, and {@link #publish}es it; the owner handles published slots in order and gives them back.
     * A full ring makes {@link #claim} wait, so a reader stops reading and the kernel's buffer absorbs or drops.
     */
    public final class PacketRing {
        private final byte[][] buffers;
        private final int[] lengths;
        private final Object[] metas;
        private final int slots;
        private final PacketHandler handler;
        /** Slots published by the producer (a count, never wraps in practice). */
        private volatile long published;
        /** Slots handled by the owner and free again. */
        private volatile long consumed;
        private volatile boolean producerWaiting;
        /** Times the producer found the ring full and waited; written by the producer only. */
        private volatile long fullWaits;

        private PacketRing(int slots, int slotBytes, PacketHandler handler) {
            if (slots < 1 || slotBytes < 1) {
                throw new IllegalArgumentException("slots " + slots + ", bytes " + slotBytes);
            }
            this.slots = slots;
            this.buffers = new byte[slots][slotBytes];
            this.lengths = new int[slots];
            this.metas = new Object[slots];
            this.handler = handler;
        }

        public int capacity() {
            return slots;
        }

        /** How often the producer found the ring full and had to wait for the owner; any thread may read it. */
        public long fullWaits() {
            return fullWaits;
        }

        /**
         * True when the owner has handled everything this ring's producer published: a packet the producer handles
         * itself now cannot overtake one it handed over. Called by the producer.
         */
        public boolean idle() {
            return published == consumed;
        }

        /** The next free slot for the producer, waiting while the ring is full; -1 once the loop stopped. */
        public int claim() throws InterruptedException {
            long p = published;
            if (p - consumed >= slots) {
                fullWaits = fullWaits + 1;
                lock.lock();
                try {
                    producerWaiting = true;
                    while (p - consumed >= slots && !stopped) {
                        room.await();
                    }
                } finally {
                    producerWaiting = false;
                    lock.unlock();
                }
            }
            return stopped ? -1 : (int) (p % slots);
        }

        /** The buffer of a claimed slot. */
        public byte[] buffer(int slot) {
            return buffers[slot];
        }

        /** Hands the claimed slot, holding {@code len} bytes and {@code meta} (say, the sender), to the owner. */
        public void publish(int slot, int len, Object meta) {
            lengths[slot] = len;
            metas[slot] = meta;
            published = published + 1;
            wakeOwner();
        }

        private int drain(Owner o) {
            long end = published;
            long c = consumed;
            int n = (int) (end - c);
            for (; c < end; c++) {
                int slot = (int) (c % slots);
                try {
                    handler.onPacket(buffers[slot], lengths[slot], metas[slot]);
                } catch (RuntimeException e) {
                    o.failed(e);
                }
                metas[slot] = null;
            }
            consumed = end;
            if (producerWaiting) {
                lock.lock();
                try {
                    room.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            return n;
        }
    }

    /** A bounded queue of events for any number of producers; the owner takes all of it in one go. */
    public final class Inbox<T> {
        private final int capacity;
        private final Consumer<T> handler;
        private ArrayDeque<T> items = new ArrayDeque<>();
        private ArrayDeque<T> draining = new ArrayDeque<>();

        private Inbox(int capacity, Consumer<T> handler) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity " + capacity);
            }
            this.capacity = capacity;
            this.handler = handler;
        }

        /** Queues {@code item}; false when the inbox is full or the loop stopped. */
        public boolean offer(T item) {
            lock.lock();
            try {
                if (stopped || items.size() >= capacity) {
                    return false;
                }
                items.add(item);
                if (sleeping) {
                    work.signal();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Queues {@code item}, waiting while the inbox is full; false once the loop stopped. */
        public boolean put(T item) throws InterruptedException {
            lock.lock();
            try {
                while (items.size() >= capacity && !stopped) {
                    room.await();
                }
                if (stopped) {
                    return false;
                }
                items.add(item);
                if (sleeping) {
                    work.signal();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        private int drain(Owner o) {
            lock.lock();
            try {
                if (items.isEmpty()) {
                    return 0;
                }
                ArrayDeque<T> full = items;
                items = draining;
                draining = full;
                room.signalAll();
            } finally {
                lock.unlock();
            }
            int n = draining.size();
            for (T item = draining.poll(); item != null; item = draining.poll()) {
                try {
                    handler.accept(item);
                } catch (RuntimeException e) {
                    o.failed(e);
                }
            }
            return n;
        }
    }
}
