package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code management-hold} and {@code management-log-cache} reach the client config's {@link ManagementOptions}. */
class ManagementOptionsTest {
    private static final String CLIENT = """
            client
            dev tun
            remote vpn.example.com 1194
            auth-user-pass
            <ca>
            -----BEGIN CERTIFICATE-----
            MIIB
            -----END CERTIFICATE-----
            </ca>
            """;

    @Test
    void clientDefaultsWithoutHold() throws Exception {
        ClientConfig c = ClientConfig.from(OvpnFile.parse(CLIENT + "management 127.0.0.1 7505\n"), Path.of("/tmp"), false);
        assertEquals(ManagementOptions.DEFAULTS, c.monitoring().managementOptions());
        assertFalse(c.ignoredOptionsReported().contains("management-hold"));
    }

    @Test
    void clientHoldAndLogCache() throws Exception {
        ClientConfig c = ClientConfig.from(OvpnFile.parse(CLIENT
                + "management /run/m.sock unix\nmanagement-hold\nmanagement-log-cache 50\n"), Path.of("/tmp"), false);
        assertEquals("/run/m.sock unix", c.monitoring().management());
        assertEquals(new ManagementOptions(true, 50), c.monitoring().managementOptions());
        assertTrue(c.warnings().isEmpty(), c.warnings()::toString);
    }

    @Test
    void rejectsAZeroLogCache() {
        assertThrows(OvpnParseException.class, () -> ClientConfig.from(OvpnFile.parse(CLIENT + "management-log-cache 0\n"),
                Path.of("/tmp"), false));
    }
}
