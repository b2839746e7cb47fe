package io.culvert.engine.config.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads config and key files with a size cap, as UTF-8 or else Latin-1: the one bounded reader for files a config
 * names (also used by the caller's side of culvertd, which inlines them). Stateless and thread-safe.
 */
public final class ConfigFiles {

    private ConfigFiles() {}

    /** The text of {@code file}; errors name {@code line} and {@code directive} (0 and null for the config itself). */
    public static String readText(Path file, int line, String directive, int maxChars) throws OvpnParseException {
        byte[] bytes = readBytes(file, line, directive, maxChars);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** The bytes of {@code file}, capped like {@link #readText}. */
    public static byte[] readBytes(Path file, int line, String directive, int maxChars) throws OvpnParseException {
        byte[] bytes;
        // Size first, then a capped read: neither a huge file nor an endless one (a FIFO, /dev/zero) is read whole.
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) > maxChars) {
                throw tooLarge(file, line, directive, maxChars);
            }
            bytes = in.readNBytes(maxChars + 1);
            if (bytes.length > maxChars) {
                throw tooLarge(file, line, directive, maxChars);
            }
        } catch (IOException e) {
            throw new OvpnParseException(line, directive, Reason.FILE_NOT_READABLE,
                    "cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        return bytes;
    }

    private static OvpnParseException tooLarge(Path file, int line, String directive, int maxChars) {
        return new OvpnParseException(line, directive, Reason.LIMIT_EXCEEDED, file + " is larger than " + maxChars + " bytes");
    }

    /** Resolves {@code name} against {@code baseDir} unless it is absolute or there is no base. */
    public static Path resolve(Path baseDir, String name) {
        Path p = Path.of(name);
        return baseDir == null || p.isAbsolute() ? p : baseDir.resolve(p);
    }
}
