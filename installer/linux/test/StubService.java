package io.culvert.service;

/**
 * Stand-in for the engine service, only for testing the packaging of culvertd
 * (installer/linux/build-deb.sh --stub-service): prints a line, then waits to be stopped.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("culvertd stub: the engine service is not built yet");
        if (args.length > 0 && args[0].equals("--version")) {
            return;
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
