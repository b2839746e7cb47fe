package io.culvert.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class AllocationProfileTest {
    /** {@code jfr print --events jdk.ObjectAllocationSample} output of JDK 25, shortened. */
    private static final String PRINT = """
            jdk.ObjectAllocationSample {
              startTime = 04:45:41.301 (2026-12-06)
              objectClass = java.lang.String (classLoader = bootstrap)
              weight = 952 bytes
              eventThread = "C1 CompilerThread0" (javaThreadId = 18)
            }

            jdk.ObjectAllocationSample {
              startTime = 04:45:42.303 (2026-12-06)
              objectClass = byte[] (classLoader = null)
              weight = 1.5 MB
              eventThread = "tun-reader" (javaThreadId = 31)
              stackTrace = [
                java.util.Arrays.copyOf(byte[], int) line: 3541
                io.culvert.engine.crypto.AeadCrypto.open(byte[], int, int, int) line: 120
                io.culvert.engine.client.ClientRunner.readLink(Transport) line: 300
                ...
              ]
            }

            jdk.ObjectAllocationSample {
              startTime = 04:45:42.900 (2026-12-06)
              objectClass = byte[] (classLoader = null)
              weight = 512.0 kB
              eventThread = "tun-reader" (javaThreadId = 31)
              stackTrace = [
                java.util.Arrays.copyOf(byte[], int) line: 3541
                io.culvert.engine.crypto.AeadCrypto.open(byte[], int, int, int) line: 120
                ...
              ]
            }

            jdk.ObjectAllocationSample {
              startTime = 04:45:50.000 (2026-12-06)
              objectClass = byte[] (classLoader = null)
              weight = 9.0 MB
              eventThread = "main" (javaThreadId = 3)
            }
            """;

    @Test
    void sumsWeightsInTheWindowByClassAndInnermostCulvertFrame() {
        AllocationProfile p = AllocationProfile.parse(PRINT, LocalDateTime.parse("2026-12-06T04:45:42"),
                LocalDateTime.parse("2026-12-06T04:45:43"));
        assertEquals(2 * 1024 * 1024, p.totalBytes(), 1e-6); // the first and last samples are outside the window
        assertEquals(1, p.sites().size());
        assertEquals("byte[] @ io.culvert.engine.crypto.AeadCrypto.open(byte[], int, int, int) line: 120",
                p.sites().getFirst().getKey());
    }
}
