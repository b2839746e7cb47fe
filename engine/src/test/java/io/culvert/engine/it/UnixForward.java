package io.culvert.engine.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * {@code java -cp test-classes io.culvert.engine.it.UnixForward PORT SOCKET}: relays TCP connections to
 * 127.0.0.1:PORT of the namespace it runs in to a Unix socket on the host's file system, so a process in a test's
 * network namespace reaches the test's PostgreSQL (which listens on the host's loopback and its socket). Killing it
 * cuts the database off from that namespace, as a network outage would.
 */
public final class UnixForward {
    private UnixForward() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path socket = Path.of(args[1]);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            System.out.println("forwarding 127.0.0.1:" + port + " to " + socket);
            while (true) {
                SocketChannel in = server.accept();
                SocketChannel out = SocketChannel.open(StandardProtocolFamily.UNIX);
                out.connect(UnixDomainSocketAddress.of(socket));
                Thread.ofVirtual().start(() -> copy(in, out));
                Thread.ofVirtual().start(() -> copy(out, in));
            }
        }
    }

    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        try (from; to) {
            while (from.read(b) >= 0) {
                b.flip();
                while (b.hasRemaining()) {
                    to.write(b);
                }
                b.clear();
            }
        } catch (IOException e) {
            // one side closed; both are closed by the try
        }
    }
}
