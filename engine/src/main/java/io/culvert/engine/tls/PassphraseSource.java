package io.culvert.engine.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Most bytes read from an askpass file: its first line is a passphrase, not a stream (/dev/zero, a FIFO). */
    int MAX_ASKPASS_BYTES = 4096;

    /** The first line of {@code file}, as OpenVPN's {@code askpass FILE} reads it, from at most {@value #MAX_ASKPASS_BYTES} bytes. */
    static PassphraseSource firstLineOf(Path file) {
        return source -> {
            byte[] head;
            try (var in = Files.newInputStream(file)) {
                head = in.readNBytes(MAX_ASKPASS_BYTES);
            } catch (IOException e) {
                throw new IOException("cannot read the askpass file " + file + " (" + e.getClass().getSimpleName() + ")", e);
            }
            String text = new String(head, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            if (end < 0 && head.length == MAX_ASKPASS_BYTES) {
                throw new IOException("the askpass file " + file + " has no line end in its first " + MAX_ASKPASS_BYTES + " bytes");
            }
            String first = end < 0 ? text : text.substring(0, end);
            if (first.endsWith("\r")) {
                first = first.substring(0, first.length() - 1);
            }
            if (text.isEmpty()) {
                throw new IOException("the askpass file " + file + " is empty");
            }
            return Optional.of(first.toCharArray());
        };
    }
}
