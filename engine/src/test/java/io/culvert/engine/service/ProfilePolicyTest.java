package io.culvert.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.OvpnFile;
import io.culvert.engine.config.OvpnParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfilePolicyTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

    private static List<String> refusals(String text) throws OvpnParseException {
        return ProfilePolicy.operatorRefusals(OvpnFile.parse(text));
    }

    @Test
    void selfContainedProfilesPass() throws OvpnParseException {
        assertEquals(List.of(), refusals("client\nremote vpn.example.org 1194\nauth-user-pass\nup /etc/openvpn/update-resolv-conf\n"
                + "<ca>\n" + PEM + "</ca>\n<tls-auth>\nkey\n</tls-auth>\nkey-direction 1\npeer-fingerprint AB:CD\n"));
    }

    @Test
    void fileReferencesAreRefusedWithTheirLine() throws OvpnParseException {
        List<String> r = refusals("client\nca /etc/shadow\nauth-user-pass /root/secret\ntls-auth ta.key 1\n");
        assertEquals(3, r.size(), r::toString);
        assertTrue(r.get(0).startsWith("line 2: 'ca' names a file"), r.get(0));
        assertTrue(r.get(1).startsWith("line 3: 'auth-user-pass' names a file"), r.get(1));
        assertTrue(r.get(2).startsWith("line 4: 'tls-auth' names a file"), r.get(2));
    }

    @Test
    void fileReferencesInsideConnectionBlocksAreRefused() throws OvpnParseException {
        List<String> r = refusals("client\n<connection>\nremote a 1194\nhttp-proxy-user-pass /etc/shadow\n</connection>\n");
        assertEquals(1, r.size(), r::toString);
        assertTrue(r.get(0).contains("'http-proxy-user-pass' names a file"), r.get(0));
    }

    @Test
    void directivesThatWriteOrListenOnTheHostAreRefused() throws OvpnParseException {
        List<String> r = refusals("client\nstatus /etc/passwd 1\nmanagement 127.0.0.1 7505\n");
        assertEquals(2, r.size(), r::toString);
        assertTrue(r.get(0).contains("'status' is for admins"), r.get(0));
        assertTrue(r.get(1).contains("'management' is for admins"), r.get(1));
    }
}
