package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.DnsOptions.Server;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport.Status;
import io.culvert.engine.config.report.ImportReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client directives dns, route-metric and inactive, read from a profile. */
class ClientConfigNetworkTest {
    private static final String MINIMAL = "client\ndev tun\nremote r.example\n<ca>\n-----BEGIN CERTIFICATE-----\n"
            + "</ca>\nauth-user-pass\n";

    private static ClientConfig text(String body) throws OvpnParseException {
        return ClientConfig.from(OvpnFile.parse(MINIMAL + body), null, false);
    }

    @Test
    void readsDnsRouteMetricAndInactive() throws Exception {
        ClientConfig c = text("dns server 1 address 10.8.0.53\ndns search-domains corp.example\nroute-metric 42\ninactive 600 100000\n");
        assertEquals(new DnsOptions(List.of("corp.example"), List.of(new Server(1, List.of("10.8.0.53"), List.of(), null, null, null))),
                c.routing().dns());
        assertEquals(42, c.routing().routeMetric());
        assertEquals(600, c.keepalive().inactiveSeconds());
        assertEquals(100000, c.keepalive().inactiveBytes());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void defaultsAreOff() throws Exception {
        ClientConfig c = text("inactive 30\n");
        assertEquals(DnsOptions.EMPTY, c.routing().dns());
        assertEquals(0, c.routing().routeMetric());
        assertEquals(30, c.keepalive().inactiveSeconds());
        assertEquals(0, c.keepalive().inactiveBytes());
    }

    @Test
    void unappliedDnsSettingsAreAcceptedAndReportedOnce() throws Exception {
        ClientConfig c = text("dns server 0 address 10.8.0.1\ndns server 0 transport DoT\ndns server 0 sni dns.example\n"
                + "dns server 0 transport plain\n");
        assertEquals(List.of(
                "line 9: 'dns server 0 transport DoT' accepted but not applied: the servers are handed to the system resolver as plain DNS",
                "line 10: 'dns server 0 sni dns.example' accepted but not applied: the servers are handed to the system resolver as plain DNS"),
                c.warnings());
    }

    @Test
    void badDnsOptionsNameTheLineAndTheProblem() {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text("dns server 0 address 10.8.0.1\ndns server 200 address 1.1.1.1\n"));
        assertEquals("line 9: 'dns': INVALID_VALUE: server: invalid priority '200' (-128..127)", e.getMessage());
        OvpnParseException noAddress = assertThrows(OvpnParseException.class, () -> text("verb 3\ndns server 4 resolve-domains x.example\n"));
        assertEquals("line 9: 'dns': INVALID_VALUE: server 4 does not have an address assigned", noAddress.getMessage());
        OvpnParseException count = assertThrows(OvpnParseException.class, () -> text("dns server\n"));
        assertEquals(Reason.WRONG_ARGUMENT_COUNT, count.reason());
        OvpnParseException metric = assertThrows(OvpnParseException.class, () -> text("route-metric -1\n"));
        assertEquals("line 8: 'route-metric': INVALID_VALUE: -1 is out of range 0..2147483647", metric.getMessage());
        OvpnParseException inactive = assertThrows(OvpnParseException.class, () -> text("inactive 10 lots\n"));
        assertEquals("line 8: 'inactive': INVALID_VALUE: 'lots' is not a number", inactive.getMessage());
    }

    @Test
    void importReportMarksDnsSupportedAndUnappliedPartsAsWarnings() throws Exception {
        ImportReport r = ImportReport.of(OvpnFile.parse("client\ndns server 0 address 10.8.0.1\ndns server 0 dnssec yes\n"
                + "route-metric 5\ninactive 60\n"), Role.CLIENT);
        assertEquals(Status.SUPPORTED, r.items().get(1).status());
        assertEquals(Status.IGNORED, r.items().get(2).status());
        assertTrue(r.items().get(2).warning());
        assertEquals("accepted but not applied: the servers are handed to the system resolver as plain DNS", r.items().get(2).note());
        assertEquals(Status.SUPPORTED, r.items().get(3).status());
        assertEquals("the client exits after 60 s without tunnel traffic", r.items().get(4).note());
        assertTrue(r.usable());
    }
}
