package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock openvpn 2.6 server pushes {@code dns server 0 address ...} and {@code dns search-domains ...}
 * next to an older {@code dhcp-option DNS}, and {@code route-metric 77}, which replaces the profile's
 * {@code route-metric 55} as a later option does. {@code ./culvert client}
 * hands the --dns server and domain (not the dhcp-option one) to its DNS configuration (this host has no
 * systemd-resolved, so the client's log line is where that shows) and installs the pushed route with the
 * pushed metric, as stock openvpn does. A second profile with {@code inactive} makes the client exit on its own.
 */
@NetnsTest
class DnsRouteMetricInteropTest {
    private static final String SERVER_EXTRA = """
            push "route 10.78.0.0 255.255.255.0"
            push "route-metric 77"
            push "dhcp-option DNS 10.77.0.99"
            push "dns server 0 address 10.77.0.53"
            push "dns search-domains vpn.example"
            push "dns server 0 dnssec optional"
            """;
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void pushedDnsReachesTheDnsConfigurationAndRouteMetricShowsInIpRoute(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, SERVER_EXTRA, "route-metric 55\n")) {
            OpenvpnProcess stock = rig.startStockClient();
            assertTrue(routeLines(rig).stream().anyMatch(l -> l.startsWith("10.78.0.0/24 ") && l.contains("metric 77")),
                    () -> "stock openvpn applies route-metric too:\n" + routeLines(rig) + "\n" + stock.logTail(20));
            stock.stop();

            OpenvpnProcess client = rig.startCulvertClient();
            String why = "\nclient log:\n" + client.logTail(40);
            List<String> routes = routeLines(rig);
            assertTrue(routes.stream().anyMatch(l -> l.startsWith("10.78.0.0/24 ") && l.contains("dev tun0")
                    && l.contains("metric 77")), "pushed route without metric 77:\n" + routes + why);
            assertTrue(rig.pingServer(3).noLoss(), "tunnel ping failed" + why);

            String log = client.log();
            assertTrue(log.contains("DNS servers [10.77.0.53] with domains [vpn.example] pushed but not applied: "
                    + "systemd-resolved is not running"), "the --dns server and domain must reach DnsConfig" + why);
            assertFalse(log.contains("10.77.0.99"), "--dns overrides dhcp-option DNS" + why);
            assertTrue(log.contains("accepted but not applied (plain DNS only): dns server 0 dnssec optional"), why);

            client.stop();
            assertEquals(0, client.process().exitValue(), why);
            assertFalse(routeLines(rig).stream().anyMatch(l -> l.startsWith("10.78.0.0/24 ")), "route left behind");
        }
    }

    @Test
    void inactiveMakesTheClientExitOnItsOwn(@TempDir Path dir) throws InterruptedException {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "keepalive 1 10\n", "inactive 4\n")) {
            OpenvpnProcess client = rig.startCulvertClient();
            client.awaitLine("Inactivity timeout (--inactive), exiting", T);
            assertTrue(client.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS),
                    () -> "client still running after the inactivity timeout:\n" + client.logTail(20));
            assertEquals(0, client.process().exitValue(), () -> client.logTail(20));
            assertFalse(client.log().contains("retrying"), () -> "it must exit, not reconnect:\n" + client.logTail(20));
        }
    }

    private static List<String> routeLines(InteropRig rig) {
        return rig.clientNs().exec(T, "ip", "-4", "route", "show").output().lines().toList();
    }
}
