package io.culvert.engine.sys;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Routes} for tests: a route table the test sets, and changes it announces. Thread-safe. */
public final class InMemoryRoutes implements Routes {
    private final Map<InetAddress, Route> table = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private int pending;
    private boolean closed;

    /** Sets (or with null removes) the route to {@code destination} without announcing it. */
    public void set(InetAddress destination, Route route) {
        if (route == null) {
            table.remove(destination);
        } else {
            table.put(destination, route);
        }
    }

    /** Announces a change, as rtnetlink does after any route, address or link change. */
    public void announce() {
        synchronized (lock) {
            pending++;
            lock.notifyAll();
        }
    }

    @Override
    public boolean awaitChange() {
        synchronized (lock) {
            while (pending == 0 && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (closed) {
                return false;
            }
            pending = 0;
            return true;
        }
    }

    @Override
    public Route lookup(InetAddress destination) {
        return table.get(destination);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
