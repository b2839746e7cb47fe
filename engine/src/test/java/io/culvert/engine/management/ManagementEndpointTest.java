package io.culvert.engine.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ManagementEndpointTest {
    private static final Path BASE = Path.of("/etc/openvpn");

    @Test
    void parsesLoopbackTcpWithPasswordFile() throws Exception {
        ManagementEndpoint e = ManagementEndpoint.parse("127.0.0.1 7505 mgmt.pw", BASE);
        assertEquals(new ManagementEndpoint.Tcp(new InetSocketAddress("127.0.0.1", 7505), Path.of("/etc/openvpn/mgmt.pw")), e);
    }

    @Test
    void parsesUnixSocket() throws Exception {
        ManagementEndpoint e = ManagementEndpoint.parse("/run/culvert/mgmt.sock unix", BASE);
        assertEquals(new ManagementEndpoint.Unix(Path.of("/run/culvert/mgmt.sock"), null), e);
        assertNull(e.passwordFile());
    }

    @Test
    void rejectsNonLoopbackPortsAndStdin() {
        for (String bad : new String[] {"192.0.2.1 7505", "127.0.0.1 0", "127.0.0.1 port", "127.0.0.1", "127.0.0.1 7505 stdin",
                "127.0.0.1 7505 a b"}) {
            EngineException e = assertThrows(EngineException.class, () -> ManagementEndpoint.parse(bad, BASE), bad);
            assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
        }
    }
}
