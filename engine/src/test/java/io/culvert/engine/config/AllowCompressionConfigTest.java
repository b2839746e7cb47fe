package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.report.ImportReport.Item;
import io.culvert.engine.config.report.ImportReport.Status;
import io.culvert.engine.config.report.ImportReport;
import org.junit.jupiter.api.Test;

class AllowCompressionConfigTest {
    private static final String SERVER = "server 10.8.0.0 255.255.255.0\ndev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n";

    @Test
    void serverReadsAllowCompressionAndWarnsOnce() throws Exception {
        ServerConfig c = ServerConfigTest.text(SERVER + "allow-compression yes\ncomp-lzo yes\n");
        assertEquals("yes", c.dataChannel().allowCompression());
        assertEquals("yes", c.dataChannel().compLzo());
        assertEquals(1, c.warnings().stream().filter(w -> w.contains("allow-compression is enabled")).count(), c.warnings().toString());
    }

    @Test
    void serverDefaultsToNoWithoutWarning() throws Exception {
        ServerConfig c = ServerConfigTest.text(SERVER + "comp-lzo no\n");
        assertEquals("no", c.dataChannel().allowCompression());
        assertTrue(c.warnings().stream().noneMatch(w -> w.contains("allow-compression")), c.warnings().toString());
    }

    @Test
    void importReportSaysCulvertDecompressesButNeverCompresses() throws Exception {
        ImportReport allowed = ImportReport.of(OvpnFile.parse("client\nallow-compression yes\ncomp-lzo yes\n"), Role.CLIENT);
        Item lzo = item(allowed, "comp-lzo");
        assertTrue(lzo.note().contains("decompressed") && lzo.note().contains("never compresses"), lzo.note());
        Item allow = item(allowed, "allow-compression");
        assertEquals(Status.TRANSLATED, allow.status());
        assertTrue(allow.warning());
        ImportReport refused = ImportReport.of(OvpnFile.parse("client\ncompress lz4-v2\n"), Role.CLIENT);
        assertTrue(item(refused, "compress").note().contains("dropped"), item(refused, "compress").note());
    }

    private static Item item(ImportReport r, String name) {
        return r.items().stream().filter(i -> i.directive().equals(name)).findFirst().orElseThrow();
    }
}
