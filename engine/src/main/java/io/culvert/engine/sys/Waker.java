package io.culvert.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An eventfd that ends blocking waits: a thread sleeps in {@code poll} on its descriptor and on this eventfd with no
 * timeout, and {@link #wake} (from {@code close()} on any thread) makes every such poll return at once. Nothing on the
 * packet path depends on a timer. Thread-safe: {@link #await} may run on several threads, each with its own
 * {@link Wait}; {@link #wake} from any thread; {@link #close} once no thread waits or wakes any more.
 */
public final class Waker implements AutoCloseable {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private final int efd;
    /**
     * Native state lives in an automatic arena: a downcall that passes one of its segments costs no atomic
     * acquire/release of a shared session (profiled on the server: the reader and the server thread bounced one shared
     * session's counter on every read and write). The memory goes when this object is unreachable; closing only closes
     * the descriptor.
     */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment one;
    private final MemorySegment wakeErrno;

    private Waker(int efd) {
        this.efd = efd;
        this.one = arena.allocate(ValueLayout.JAVA_LONG);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.wakeErrno = Libc.newErrno(arena);
    }

    public static Waker open() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Libc.newErrno(a);
            int fd = Libc.eventfd(e, 0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot create an eventfd: " + Libc.describe(Libc.errno(e)));
            }
            return new Waker(fd);
        }
    }

    /** The per-thread native state of a waiter: two {@code struct pollfd} and an errno slot. */
    public final class Wait {
        private final MemorySegment fds;
        final MemorySegment errno;

        Wait(Arena arena) {
            this.fds = arena.allocate(2L * Libc.POLLFD_SIZE, 8);
            this.errno = Libc.newErrno(arena);
            fds.set(ValueLayout.JAVA_INT, 8, efd);
            fds.set(ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
        }

        /** The errno segment this waiter's thread uses for its own calls too. */
        public MemorySegment errno() {
            return errno;
        }
    }

    /** Native state for one waiting thread, allocated in {@code arena} (which the caller keeps open while waiting). */
    public Wait newWait(Arena arena) {
        return new Wait(arena);
    }

    /**
     * Sleeps until {@code fd} reports one of {@code events} or {@link #wake} was called.
     *
     * @return true when {@code fd} is ready, false once woken (the caller checks its closed flag and leaves)
     */
    public boolean await(Wait w, int fd, short events) throws IOException {
        w.fds.set(ValueLayout.JAVA_INT, 0, fd);
        w.fds.set(ValueLayout.JAVA_SHORT, 4, events);
        w.fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        w.fds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
        while (true) {
            int n = Libc.poll(w.errno, w.fds, 2, -1);
            if (n >= 0) {
                // The eventfd is never drained: once woken, every later poll returns at once as well.
                return w.fds.get(ValueLayout.JAVA_SHORT, 14) == 0;
            }
            int errno = Libc.errno(w.errno);
            if (errno != Libc.EINTR) {
                throw new IOException("poll failed: " + Libc.describe(errno));
            }
        }
    }

    /** Wakes every current and future {@link #await}; idempotent. */
    public void wake() {
        // Concurrent wakes may share the errno slot: a failed wake (counter overflow) leaves the eventfd readable anyway.
        Libc.write(wakeErrno, efd, one, 8);
    }

    /** Closes the eventfd; call only once no thread is in {@link #await}. */
    @Override
    public void close() {
        Libc.close(wakeErrno, efd);
    }
}
