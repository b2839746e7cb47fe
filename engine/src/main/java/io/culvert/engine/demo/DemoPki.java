package io.culvert.engine.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The demo's PKI, shipped as resources: a CA, a server certificate, one certificate per demo client and a tls-crypt
 * key. The keys are public (they are in the source tree), so the demo listens on loopback only. Immutable.
 */
public final class DemoPki {
    /** Common names of the demo clients, one certificate each. */
    public static final List<String> CLIENTS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    private DemoPki() {}

    public static String ca() {
        return read("ca.crt");
    }

    public static String tlsCryptKey() {
        return read("tc.key");
    }

    /** PEM certificate of {@code name} ("server" or one of {@link #CLIENTS}). */
    public static String certificate(String name) {
        return read(checked(name) + ".crt");
    }

    /** PEM (PKCS#8) private key of {@code name}. */
    public static String privateKey(String name) {
        return read(checked(name) + ".key");
    }

    private static String checked(String name) {
        if (!name.equals("server") && !CLIENTS.contains(name)) {
            throw new IllegalArgumentException("no demo certificate for " + name);
        }
        return name;
    }

    private static String read(String file) {
        try (InputStream in = DemoPki.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("demo resource missing: " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
