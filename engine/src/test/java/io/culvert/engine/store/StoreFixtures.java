package io.culvert.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;

/** Shared test data: a real unified client profile (test PKI from the captures) and a fixed clock. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    static final InstantSource CLOCK = InstantSource.fixed(T0);

    private StoreFixtures() {}

    static String clientProfile() {
        try (InputStream in = StoreFixtures.class.getResourceAsStream("/store/client.ovpn")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
