package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code route-table 100} on a {@code ./culvert client} against a stock server: the profile's route and the pushed one
 * are in table 100 and not in main, as OpenVPN 2.7 adds them ({@code route_default_table_id}). (Stock 2.6 does not
 * know the option, so the rig's 2.6 client cannot run the same profile.)
 */
@NetnsTest
class RouteTableInteropTest {
    @Test
    void routesGoToTheConfiguredTable(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "push \"route 10.99.0.0 255.255.255.0\"\n",
                "route-table 100\nroute 10.98.0.0 255.255.255.0\n")) {
            OpenvpnProcess client = rig.startCulvertClient();
            String table = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route", "show", "table", "100").output();
            String main = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route", "show").output();
            System.out.println("route-table 100:\n" + table + "main:\n" + main);
            assertTrue(table.contains("10.98.0.0/24") && table.contains("10.99.0.0/24"), () -> table + "\n" + client.logTail(20));
            assertFalse(main.contains("10.98.0.0/24") || main.contains("10.99.0.0/24"), main);
            client.stop();
            String after = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route", "show", "table", "100").output();
            assertFalse(after.contains("10.98.0.0/24") || after.contains("10.99.0.0/24"), () -> "routes left behind:\n" + after);
        }
    }
}
