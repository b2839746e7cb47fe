package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServerConfigReader#HANDLED}, which the import report relies on, matches what the readers act on. */
class ServerHandledTest {

    @Test
    void handledSetMatchesTheServerReaders(@TempDir Path dir) {
        Set<String> acted = new TreeSet<>();
        for (String name : Directives.names()) {
            Directive d = new Directive(name, Collections.nCopies(Directives.lookup(name).orElseThrow().minArgs(), "1"), 1, null);
            if (actsOn(new ServerConfigReader(dir, false), d, dir)) {
                acted.add(name);
            }
        }
        assertEquals(new TreeSet<>(ServerConfigReader.HANDLED), acted);
    }

    /** True when a reader takes the directive (trying to read a bad value counts). */
    private static boolean actsOn(ServerConfigReader reader, Directive d, Path dir) {
        try {
            return reader.claim(d) || new ServerValueReader(new ServerConfigBuilder(), dir).apply(d);
        } catch (OvpnParseException | RuntimeException e) {
            return true;
        }
    }
}
