package io.culvert.engine.net;

import io.culvert.engine.net.Addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Addresses as a user reads them in the log and the app: no leading slash, no eight zero groups. */
class AddressesTest {

    @Test
    void socketAddressesReadAsPeopleWriteThem() throws Exception {
        assertEquals("0.0.0.0:1194", Addresses.text(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 1194)));
        assertEquals("[::]:1194", Addresses.text(new InetSocketAddress(InetAddress.getByName("::"), 1194)));
        assertEquals("[fd00::2]:443", Addresses.text(new InetSocketAddress(InetAddress.getByName("fd00:0:0:0:0:0:0:2"), 443)));
        assertEquals("10.78.0.2:5", Addresses.text(new InetSocketAddress(InetAddress.getByName("::ffff:10.78.0.2"), 5)));
        assertEquals("vpn.example:1194", Addresses.text(InetSocketAddress.createUnresolved("vpn.example", 1194)));
    }
}
