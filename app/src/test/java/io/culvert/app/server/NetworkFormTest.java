package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.culvert.engine.api.ClientNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkFormTest {

    @Test
    void parsesAddressAndRoutesOnePerLineOrCommaSeparated() {
        NetworkForm f = NetworkForm.parse(" 10.8.0.50 ", "192.168.10.0/24\n\n10.20.0.0/16", "172.16.0.0/12, 10.99.0.0/24");
        assertEquals(new ClientNetwork("10.8.0.50", List.of("192.168.10.0/24", "10.20.0.0/16"), List.of("172.16.0.0/12", "10.99.0.0/24")),
                f.network());
    }

    @Test
    void emptyFormMeansPoolAddressAndNoRoutes() {
        assertEquals(ClientNetwork.NONE, NetworkForm.parse("", "", "").network());
    }

    @Test
    void namesTheFirstBadEntry() {
        NetworkForm bad = NetworkForm.parse("", "192.168.10.0/24\n192.168.11.1/24", "");
        assertFalse(bad.ok());
        assertEquals("network.error.cidr", bad.errorKey());
        assertEquals("192.168.11.1/24", bad.offending());
        assertEquals("network.error.address", NetworkForm.parse("10.8.0", "", "").errorKey());
    }
}
