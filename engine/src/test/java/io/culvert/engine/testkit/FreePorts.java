package io.culvert.engine.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port free at the moment of asking, for a server a test starts on 127.0.0.1 (the socket that found it is
 * closed again, so another process could take it first; the tests that use it bind at once). Stateless.
 */
public final class FreePorts {
    private FreePorts() {}

    /** A UDP port on 127.0.0.1. */
    public static int udp() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port on 127.0.0.1. */
    public static int tcp() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
