package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code proto-force} as stock 2.6.14 runs it (checked by hand: {@code openvpn --client --proto tcp --remote ...
 * --proto-force tcp} says "No usable connection profiles are present"; {@code tcp-client} connects; {@code udp}
 * keeps the UDP remotes only).
 */
class ProtoForceTest {
    private static final String BASE = "client\ndev tun\n<ca>\n-----BEGIN CERTIFICATE-----\n</ca>\nauth-user-pass\n"
            + "remote u.example 1194 udp\nremote t.example 443 tcp\n";

    private static ClientConfig text(String body) throws OvpnParseException {
        return ClientConfig.from(OvpnFile.parse(body), null, false);
    }

    @Test
    void keepsOnlyTheRemotesOfTheForcedProtocol() throws Exception {
        assertEquals(List.of("u.example"), text(BASE + "proto-force udp\n").transport().remotes().stream().map(r -> r.host()).toList());
        assertEquals(List.of("t.example"), text(BASE + "proto-force tcp-client\n").transport().remotes().stream().map(r -> r.host()).toList());
        assertEquals(2, text(BASE).transport().remotes().size());
    }

    @Test
    void tcpLeavesNoClientRemoteAsInOpenvpn() {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(BASE + "proto-force tcp\n"));
        assertTrue(e.detail().contains("No usable connection profiles"), e.detail());
        OvpnParseException bad = assertThrows(OvpnParseException.class, () -> text(BASE + "proto-force sctp\n"));
        assertTrue(bad.detail().contains("Bad --proto-force protocol"), bad.detail());
    }
}
