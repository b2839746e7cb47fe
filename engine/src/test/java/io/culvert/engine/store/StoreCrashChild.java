package io.culvert.engine.store;

import java.nio.file.Path;
import java.time.InstantSource;

/** Child JVM of {@link StoreCrashTest}: adds profiles forever, printing each name after its commit. */
public final class StoreCrashChild {
    private StoreCrashChild() {}

    public static void main(String[] args) throws Exception {
        String text = StoreFixtures.clientProfile();
        try (Store store = Store.open(Path.of(args[0]), InstantSource.fixed(StoreFixtures.T0))) {
            System.out.println("READY");
            System.out.flush();
            for (int i = 0; ; i++) {
                String name = "p" + i;
                store.profiles().add(name, text, ProfileCheck.STRICT);
                System.out.println(name);
                System.out.flush();
            }
        }
    }
}
