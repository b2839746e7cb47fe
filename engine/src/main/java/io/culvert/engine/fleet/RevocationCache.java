package io.culvert.engine.fleet;

import io.culvert.engine.common.PrivateFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The last revocation list a server read from the fleet's database, with the time it was read, in a 0600 file of its
 * state folder: what it enforces when it starts or runs while the database is away. One line {@code read-at MILLIS},
 * then one serial (lower-case hex) per line.
 */
final class RevocationCache {
    /** The cache's contents: the serials and when they were read from the database. */
    record Snapshot(Set<BigInteger> serials, Instant readAt) {
        Snapshot {
            serials = Set.copyOf(serials);
        }
    }

    private final Path file;

    RevocationCache(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Writes {@code serials} as read at {@code readAt}, atomically, 0600 (its folder made 0700). */
    void save(Set<BigInteger> serials, Instant readAt) throws IOException {
        PrivateFiles.createDirectories(file.getParent());
        StringBuilder b = new StringBuilder("# Culvert: the fleet's revocations as last read from its database (ADR 0055)\n");
        b.append("read-at ").append(readAt.toEpochMilli()).append('\n');
        serials.stream().sorted().forEach(s -> b.append(s.toString(16)).append('\n'));
        PrivateFiles.writePrivate(file, b.toString());
    }

    /** The saved list, empty when there is none; a malformed file is an error naming its line. */
    Optional<Snapshot> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        Instant readAt = null;
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                if (line.startsWith("read-at ")) {
                    readAt = Instant.ofEpochMilli(Long.parseLong(line.substring("read-at ".length())));
                } else {
                    serials.add(new BigInteger(line, 16));
                }
            } catch (NumberFormatException e) {
                throw new IOException(file + " line " + (i + 1) + ": not a serial or read-at time: '" + line + "'", e);
            }
        }
        if (readAt == null) {
            throw new IOException(file + ": no read-at line");
        }
        return Optional.of(new Snapshot(serials, readAt));
    }
}
