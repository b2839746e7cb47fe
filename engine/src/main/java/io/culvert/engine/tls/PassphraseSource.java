package io.culvert.engine.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Supplies the passphrase of an encrypted private key or PKCS#12 file, asked only when one turns out to be
 * encrypted. Implementations may prompt and block; the returned array belongs to the caller.
 */
@FunctionalInterface
public interface PassphraseSource {
    /** OpenVPN's console prompt for a private key passphrase. */
    String PROMPT = "Enter Private Key Password:";

    /** The passphrase for the key in {@code source} (a file name for messages), or empty when there is none. */
    Optional<char[]> passphrase(String source) throws IOException;

    /** No passphrase: an encrypted key cannot be loaded. */
    static PassphraseSource none() {
        return source -> Optional.empty();
    }

    /** The first line of {@code file}, as OpenVPN's {@code askpass FILE} reads it. */
    static PassphraseSource firstLineOf(Path file) {
        return source -> {
            List<String> lines;
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String first = reader.readLine();
                lines = first == null ? List.of() : List.of(first);
            } catch (IOException e) {
                throw new IOException("cannot read the askpass file " + file + " (" + e.getClass().getSimpleName() + ")", e);
            }
            if (lines.isEmpty()) {
                throw new IOException("the askpass file " + file + " is empty");
            }
            return Optional.of(lines.get(0).toCharArray());
        };
    }
}
