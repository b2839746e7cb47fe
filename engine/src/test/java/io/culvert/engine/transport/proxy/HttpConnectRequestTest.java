package io.culvert.engine.transport.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpConnectRequestTest {

    @Test
    void plainRequestIsHttp10WithoutHeaders() {
        HttpConnectRequest r = new HttpConnectRequest("vpn.example.com", 1194, HttpProxyOptions.DEFAULT, null);
        assertEquals("CONNECT vpn.example.com:1194 HTTP/1.0\r\n\r\n", new String(r.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void http11AddsHostThenAgentThenBasicThenCustomHeaders() {
        HttpProxyOptions o = new HttpProxyOptions("1.1", "Mozilla/5.0 (Culvert)",
                List.of(new HttpProxyOptions.Header("X-Corp", "42"), new HttpProxyOptions.Header("X-Raw: as is", null)));
        HttpConnectRequest r = new HttpConnectRequest("10.0.0.1", 443, o, new ProxyCredentials("Aladdin", "open sesame"));
        assertEquals("CONNECT 10.0.0.1:443 HTTP/1.1\r\nHost: 10.0.0.1:443\r\nUser-Agent: Mozilla/5.0 (Culvert)\r\n"
                + "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\nX-Corp: 42\r\nX-Raw: as is\r\n\r\n",
                new String(r.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void basicTokenIsUtf8OfUserColonPassword() {
        // RFC 7617's example with charset UTF-8: "test:123£"
        assertEquals("dGVzdDoxMjPCow==", HttpConnectRequest.basic(new ProxyCredentials("test", "123\u00a3")));
    }

    @Test
    void ipv6TargetIsBracketed() {
        assertEquals("[2001:db8::1]:1194", new HttpConnectRequest("2001:db8::1", 1194, HttpProxyOptions.DEFAULT, null).authority());
    }

    @Test
    void refusesHeaderInjection() {
        assertThrows(IllegalArgumentException.class,
                () -> new HttpConnectRequest("a\r\nX: y", 1, HttpProxyOptions.DEFAULT, null));
        assertThrows(IllegalArgumentException.class,
                () -> new HttpProxyOptions("1.0", null, List.of(new HttpProxyOptions.Header("X", "1\r\nEvil: 2"))));
        assertThrows(IllegalArgumentException.class, () -> new HttpProxyOptions("2.0", null, List.of()));
    }

    @Test
    void toStringHidesThePassword() {
        HttpConnectRequest r = new HttpConnectRequest("h", 1, HttpProxyOptions.DEFAULT, new ProxyCredentials("u", "s3cret"));
        assertFalse(r.toString().contains("s3cret"));
        assertFalse(r.credentials().toString().contains("s3cret"));
    }
}
