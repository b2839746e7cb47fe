package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The common name in a trusted proxy's client-certificate header (ADR 0050). */
class ProxyClientNameTest {
    @Test
    void readsTheCnOfNginxsRfc4514SubjectOrABareName() {
        assertEquals("client1", ProxyClientName.commonName("CN=client1,OU=VPN,O=Culvert Test"));
        assertEquals("client1", ProxyClientName.commonName("O=Culvert Test,cn=client1"));
        assertEquals("Doe, Jane", ProxyClientName.commonName("CN=Doe\\, Jane,O=x"));
        assertEquals("Doe, Jane", ProxyClientName.commonName("CN=Doe\\2C Jane"));
        assertEquals("Zoë", ProxyClientName.commonName("CN=Zo\\C3\\AB,O=x"));
        assertEquals("client1", ProxyClientName.commonName("2.5.4.3=client1"));
        assertEquals("client1", ProxyClientName.commonName(" client1 "));
    }

    @Test
    void refusesWhatNamesNoOneCommonName() {
        assertNull(ProxyClientName.commonName(null));
        assertNull(ProxyClientName.commonName(""));
        assertNull(ProxyClientName.commonName("  "));
        assertNull(ProxyClientName.commonName("O=Culvert Test,OU=VPN"));
        assertNull(ProxyClientName.commonName("CN=a,CN=b"));
        assertNull(ProxyClientName.commonName("CN=a+CN=b"));
        assertNull(ProxyClientName.commonName("CN="));
        assertNull(ProxyClientName.commonName("CN=a,garbage"));
        assertNull(ProxyClientName.commonName("CN=a\u0000b"));
        assertNull(ProxyClientName.commonName("CN=" + "a".repeat(2000)));
    }
}
