package io.culvert.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A second JVM for {@link SingleInstanceTest}: claims the single instance as the app's launcher does and prints
 * "CHILD first" (or "CHILD handed over"), then "CHILD request [files]" for each later start's request, until killed.
 * Arguments: the run folder, the bus address or "-".
 */
public final class SingleInstanceChild {
    private SingleInstanceChild() {}

    public static void main(String[] args) throws Exception {
        String bus = args[1].equals("-") ? null : args[1];
        Optional<SingleInstance> first = SingleInstance.claim(Path.of(args[0]), bus, new SingleInstance.Request(List.of()),
                Duration.ofSeconds(10));
        if (first.isEmpty()) {
            System.out.println("CHILD handed over");
            return;
        }
        first.get().onRequest(r -> {
            System.out.println("CHILD request " + r.files());
            System.out.flush();
        });
        System.out.println("CHILD first" + (first.get().onBus() ? " on the bus" : ""));
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }
}
