package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnFileParser;
import io.culvert.engine.config.report.ImportReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4 MiB profile that names the same file hundreds of thousands of times ({@code ca ca.crt} on every line) used to
 * re-read it on every line (~400,000 reads). Counted as the kernel counts this thread's read calls
 * ({@code /proc/thread-self/io}), the file is now read once per parse.
 */
class RepeatedFileReferenceTest {
    private static final Path THREAD_IO = Path.of("/proc/thread-self/io");

    @Test
    void fourMebibyteProfileOfRepeatedCaLinesReadsTheFileOnce(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(THREAD_IO), "needs per-thread I/O accounting");
        Path ca = Path.of(getClass().getResource("/ovpn/valid/ca.crt").toURI());
        Files.copy(ca, dir.resolve("ca.crt"));
        Files.copy(ca.resolveSibling("client.crt"), dir.resolve("client.crt"));
        Files.copy(ca.resolveSibling("client.key"), dir.resolve("client.key"));
        String head = "client\ndev tun\nremote vpn.example.com\ncert client.crt\nkey client.key\n";
        StringBuilder text = new StringBuilder(head);
        int repeats = (OvpnFileParser.MAX_FILE_CHARS - head.length()) / "ca ca.crt\n".length();
        text.append("ca ca.crt\n".repeat(repeats));
        OvpnFile file = OvpnFile.parse(text.toString());
        OvpnFile small = OvpnFile.parse(head + "ca ca.crt\nca ca.crt\n");
        ClientConfig.from(small, dir, false); // loads the classes involved
        ImportReport.check(small, Role.CLIENT, dir, false);
        threadIo();

        long start = System.nanoTime();
        Map<String, Long> before = threadIo();
        ClientConfig config = ClientConfig.from(file, dir, false);
        ImportReport report = ImportReport.check(file, Role.CLIENT, dir, false);
        Map<String, Long> after = threadIo();

        long reads = after.get("syscr") - before.get("syscr");
        long bytes = after.get("rchar") - before.get("rchar");
        System.out.printf("%d x 'ca ca.crt' (%d chars): %d read calls, %d bytes read, %d ms for two parses%n", repeats,
                text.length(), reads, bytes, (System.nanoTime() - start) / 1_000_000);
        assertEquals(Files.readString(ca), config.keys().caPem());
        assertTrue(report.usable(), report.problems()::toString);
        long files = Files.size(ca) + Files.size(dir.resolve("client.crt")) + Files.size(dir.resolve("client.key"));
        assertTrue(bytes < 2 * files + 32 * 1024, "read " + bytes + " bytes for two parses of a profile naming "
                + files + " bytes of files");
        assertTrue(reads < 64, reads + " read calls for two parses of a profile naming 3 files");
    }

    private static Map<String, Long> threadIo() throws IOException {
        return Files.readAllLines(THREAD_IO).stream().map(l -> l.split(":\\s*"))
                .collect(Collectors.toMap(p -> p[0], p -> Long.parseLong(p[1].trim())));
    }
}
