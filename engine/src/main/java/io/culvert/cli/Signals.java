package io.culvert.cli;

import sun.misc.Signal;

/** Routes SIGINT and SIGTERM to a graceful stop, so the process can clean up and exit 0. */
final class Signals {
    private Signals() {}

    @SuppressWarnings("sunapi")
    static void onTerminate(Runnable action) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> action.run());
        }
    }
}
