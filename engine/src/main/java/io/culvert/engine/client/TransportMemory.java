package io.culvert.engine.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which remote worked last, per profile and network (issue 14): a small text file, one {@code key TAB remote} a line,
 * newest last, at most {@link #MAX} lines. The network is the route to the first remote's server (device and
 * gateway), so another Wi-Fi or a cable starts from the profile's own order until a remote works there. A missing or
 * unreadable file remembers nothing; a write that fails is reported and otherwise ignored.
 */
final class TransportMemory {
    static final int MAX = 200;
    private final Path file;

    TransportMemory(Path file) {
        this.file = file;
    }

    /** {@code $XDG_DATA_HOME/culvert/transports} (default {@code ~/.local/share/culvert/transports}). */
    static TransportMemory inDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
        return new TransportMemory(base.resolve("culvert").resolve("transports"));
    }

    Path file() {
        return file;
    }

    /** The remote remembered for {@code key}, or null. */
    String recall(String key) {
        return read().get(clean(key));
    }

    /** Remembers {@code remote} for {@code key}. */
    void remember(String key, String remote) throws IOException {
        Map<String, String> all = read();
        all.remove(clean(key));
        all.put(clean(key), clean(remote));
        List<String> lines = new ArrayList<>();
        all.forEach((k, v) -> lines.add(k + "\t" + v));
        List<String> kept = lines.subList(Math.max(0, lines.size() - MAX), lines.size());
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Map<String, String> read() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    out.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing remembered
        }
        return out;
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
