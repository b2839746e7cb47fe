package io.culvert.engine.server.pool;

import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.net.Addresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ifconfig-pool-persist FILE [seconds]} file: lines {@code CN,IPv4[,IPv6]} ({@code #} and
 * {@code ;} start comments; net30 stores the /30 base). With {@code seconds == 0} the file is read-only and
 * its entries are fixed to their names. Writes go to a temporary file that is then moved into place.
 * Immutable; {@link #save} may be called from any one thread at a time.
 */
public record PoolPersistence(Path file, int seconds) {
    private static final Logger LOG = LoggerFactory.getLogger(PoolPersistence.class);

    /** One persisted hint; either address may be null. */
    public record Entry(String commonName, Inet4Address ipv4, Inet6Address ipv6) {}

    /** True when the file is never written and its entries are fixed. */
    public boolean readOnly() {
        return seconds == 0;
    }

    /** True when a periodic save is due at {@code nowMillis} after the last one at {@code lastSaveMillis}. */
    public boolean saveDue(long nowMillis, long lastSaveMillis) {
        return !readOnly() && nowMillis - lastSaveMillis >= seconds * 1000L;
    }

    /** Reads the file (missing means empty) and restores its entries into {@code pool}; returns how many applied. */
    public int load(AddressPool pool) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        }
        return pool.restore(parse(text), readOnly());
    }

    /** Writes {@code pool}'s entries unless read-only. */
    public void save(AddressPool pool) throws IOException {
        if (readOnly()) {
            return;
        }
        // 0600 like Files.createTempFile made it before; rewritten often, so not forced to disk
        PrivateFiles.write(file, format(pool.entries()).getBytes(StandardCharsets.UTF_8), PrivateFiles.PRIVATE, false);
    }

    /** Parses file text; malformed lines are skipped with a warning. */
    public static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\r?\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split(",", -1);
            Entry e = f.length >= 2 && f.length <= 3 && !f[0].isEmpty() ? entry(f) : null;
            if (e == null) {
                LOG.warn("ifconfig-pool-persist line {} is malformed; skipped", lineNo);
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static Entry entry(String[] f) {
        try {
            Inet4Address v4 = f[1].isEmpty() ? null : Inet4Address.ofLiteral(f[1]);
            Inet6Address v6 = f.length < 3 || f[2].isEmpty() ? null : (Inet6Address) Inet6Address.ofLiteral(f[2]);
            return v4 == null && v6 == null ? null : new Entry(f[0], v4, v6);
        } catch (IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** The file text for {@code entries}; names that would break the format are left out. */
    public static String format(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            String cn = e.commonName();
            if (cn.isEmpty() || cn.indexOf(',') >= 0 || cn.chars().anyMatch(c -> c < 0x20)) {
                continue;
            }
            sb.append(cn).append(',').append(e.ipv4() == null ? "" : e.ipv4().getHostAddress());
            if (e.ipv6() != null) {
                sb.append(',').append(Addresses.rfc5952(e.ipv6().getAddress()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
