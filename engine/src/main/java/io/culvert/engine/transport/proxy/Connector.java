package io.culvert.engine.transport.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens the plain TCP connection to a proxy. Tests substitute loopback fakes. */
@FunctionalInterface
public interface Connector {
    Socket connect(InetSocketAddress proxy, Duration timeout) throws IOException;

    /** A TCP socket with Nagle off, optionally bound to {@code localBind} first. */
    static Connector tcp(InetSocketAddress localBind) {
        return (proxy, timeout) -> {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                if (localBind != null) {
                    s.setReuseAddress(true);
                    s.bind(localBind);
                }
                s.connect(proxy, (int) timeout.toMillis());
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        };
    }
}
