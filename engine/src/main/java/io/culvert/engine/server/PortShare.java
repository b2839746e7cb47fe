package io.culvert.engine.server;

import io.culvert.engine.common.Threads;
import io.culvert.engine.config.Listen;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.transport.TcpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code port-share host port}: a TCP connection whose first bytes are not an OpenVPN client's first packet is
 * relayed both ways to another server (an HTTPS site on the same port 443), as OpenVPN's ps.c does. The decision is
 * OpenVPN's {@code is_openvpn_protocol} on the first bytes that arrive; the relay is two threads per connection, each
 * copying through one fixed buffer, so a slow side holds back the other through TCP flow control and nothing queues
 * up. At most {@link #MAX_RELAYS} relays run at once; beyond that a connection is closed. Thread-safe.
 */
final class PortShare {
    private static final Logger LOG = LoggerFactory.getLogger(PortShare.class);
    /** Concurrent relayed connections at most. */
    static final int MAX_RELAYS = 256;
    /** How long a new connection may stay silent before it is closed (OpenVPN's default hand-window). */
    static final int FIRST_BYTES_MILLIS = 60_000;
    private static final int CONNECT_MILLIS = 10_000;
    private static final int BUFFER = 16 * 1024;

    private final InetSocketAddress target;
    private final Semaphore relays = new Semaphore(MAX_RELAYS);

    private PortShare(InetSocketAddress target) {
        this.target = target;
    }

    /** Resolves {@code share}'s host once, when the server starts, as OpenVPN does; null when there is none. */
    static PortShare start(Listen.PortShare share) throws IOException {
        if (share == null) {
            return null;
        }
        InetSocketAddress target = new InetSocketAddress(share.host(), share.port());
        if (target.isUnresolved()) {
            throw new IOException("port-share: cannot resolve " + share.host());
        }
        return new PortShare(target);
    }

    InetSocketAddress target() {
        return target;
    }

    /**
     * OpenVPN's {@code is_openvpn_protocol} (ps.c) on the first {@code len} bytes of a TCP stream: a 16-bit length of
     * 14 to 255 and a P_CONTROL_HARD_RESET_CLIENT_V2 opcode (key id 0), or a length of 336 to 1278 and V3 (tls-crypt-v2);
     * with only two bytes, the length alone decides; with fewer, it is taken for OpenVPN.
     */
    static boolean isOpenvpn(byte[] b, int len) {
        if (len < 2) {
            return true;
        }
        int plen = (b[0] & 0xff) << 8 | (b[1] & 0xff);
        if (len == 2) {
            return plen >= 14 && plen <= 255;
        }
        int op = b[2] & 0xff;
        if (op == Opcode.CONTROL_HARD_RESET_CLIENT_V3.code() << 3) {
            return plen >= 336 && plen < 1024 + 255;
        }
        return plen >= 14 && plen <= 255 && op == Opcode.CONTROL_HARD_RESET_CLIENT_V2.code() << 3;
    }

    /**
     * Waits for the first bytes of {@code t}: true when they are OpenVPN's (the caller then reads the connection as
     * usual); otherwise the connection is relayed to the target here, until both sides are done, and false.
     */
    boolean openvpnOrRelay(TcpTransport t) {
        byte[] first = new byte[3];
        int n;
        try {
            n = t.peek(first, 2, FIRST_BYTES_MILLIS);
        } catch (IOException e) {
            LOG.debug("port-share: {} sent nothing usable: {}", t.remote(), e.getMessage());
            t.close();
            return false;
        }
        if (n == 0) {
            t.close();
            return false;
        }
        if (isOpenvpn(first, n)) {
            return true;
        }
        if (!relays.tryAcquire()) {
            LOG.warn("port-share: {} relays are open; closing the connection from {}", MAX_RELAYS, t.remote());
            t.close();
            return false;
        }
        try {
            relay(t);
        } finally {
            relays.release();
        }
        return false;
    }

    private void relay(TcpTransport t) {
        Socket client = t.socket();
        Socket server = new Socket();
        try {
            server.setTcpNoDelay(true);
            server.connect(target, CONNECT_MILLIS);
            LOG.info("port-share: relaying {} to {}", t.remote(), target);
            InputStream fromServer = server.getInputStream();
            OutputStream toClient = client.getOutputStream();
            Thread back = Threads.virtual("culvert-port-share-" + t.remote())
                    .start(() -> copy(fromServer, toClient, server, client));
            copy(t.rawInput(), server.getOutputStream(), client, server);
            back.join();
        } catch (IOException e) {
            LOG.info("port-share: {} to {}: {}", t.remote(), target, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(server);
            t.close();
        }
    }

    /**
     * Copies until {@code in} ends, then half-closes {@code toSocket} so its peer sees the end too; on an error both
     * sockets are closed, which ends the other direction as well.
     */
    private static void copy(InputStream in, OutputStream out, Socket fromSocket, Socket toSocket) {
        byte[] buf = new byte[BUFFER];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            toSocket.shutdownOutput();
        } catch (IOException e) {
            close(fromSocket);
            close(toSocket);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
