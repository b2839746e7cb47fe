package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The common name in a trusted proxy's client-certificate header (ADR 0050). */
class ProxyClientNameTest {
    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', value = {
        "CN=client1,OU=VPN,O=Culvert Test | client1",
        "O=Culvert Test,cn=client1        | client1",
        "CN=Doe\\, Jane,O=x               | 'Doe, Jane'",
        "CN=Doe\\2C Jane                  | 'Doe, Jane'",
        "CN=Zo\\C3\\AB,O=x                | Zoë",
        "2.5.4.3=client1                  | client1",
        "' client1 '                      | client1"})
    void readsTheCnOfNginxsRfc4514SubjectOrABareName(String header, String commonName) {
        assertEquals(commonName, ProxyClientName.commonName(header));
    }

    @ParameterizedTest(name = "{0}")
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "O=Culvert Test,OU=VPN", "CN=a,CN=b", "CN=a+CN=b", "CN=", "CN=a,garbage", "CN=a\u0000b"})
    void refusesWhatNamesNoOneCommonName(String header) {
        assertNull(ProxyClientName.commonName(header));
    }

    @Test
    void refusesAnOverlongName() {
        assertNull(ProxyClientName.commonName("CN=" + "a".repeat(2000)));
    }
}
