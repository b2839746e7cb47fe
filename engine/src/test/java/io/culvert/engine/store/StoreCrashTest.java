package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 in the middle of a burst of writes: the database stays sound and every reported commit survives. */
class StoreCrashTest {
    @TempDir
    Path tmp;

    @Test
    void killedWriterLeavesASoundDatabaseWithEveryCommittedProfile() throws Exception {
        Path db = tmp.resolve("crash/culvert.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), StoreCrashChild.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> committed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.matches("p\\d+")) {
                    committed.add(line);
                    if (committed.size() == 150) {
                        child.toHandle().destroyForcibly(); // SIGKILL mid-burst; our end of the pipe stays open to drain the rest
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(committed.size() >= 150, "child committed " + committed.size());
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        try (Store store = Store.open(db, StoreFixtures.CLOCK)) {
            assertEquals("ok", store.integrityCheck());
            Set<String> present = new HashSet<>();
            store.profiles().list().forEach(p -> present.add(p.name()));
            for (String name : committed) {
                assertTrue(present.contains(name), name + " was reported committed but is missing");
            }
            assertEquals(StoreFixtures.clientProfile(), store.profiles().find(committed.getLast()).orElseThrow().text());
        }
    }
}
