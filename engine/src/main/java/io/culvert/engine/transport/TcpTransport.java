package io.culvert.engine.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * TCP: each OpenVPN packet is preceded by its 16-bit big-endian length. A zero length ends the connection,
 * as in OpenVPN ("Bad encapsulated packet length").
 */
public final class TcpTransport implements Transport {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final InetSocketAddress remote;
    private volatile boolean closed;

    private TcpTransport(Socket socket, InetSocketAddress remote) throws IOException {
        this.socket = socket;
        this.remote = remote;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
    }

    public static TcpTransport connect(InetSocketAddress remote, InetSocketAddress localBind, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (localBind != null) {
                s.setReuseAddress(true);
                s.bind(localBind);
            }
            s.connect(remote, (int) timeout.toMillis());
            return new TcpTransport(s, remote);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Frames packets over {@code s}, already connected (through a proxy) to {@code remote}, which is only reported
     * by {@link #remote()}.
     */
    public static TcpTransport over(Socket s, InetSocketAddress remote) throws IOException {
        s.setTcpNoDelay(true);
        return new TcpTransport(s, remote);
    }

    /** Wraps an accepted connection (server side). */
    public static TcpTransport accepted(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return new TcpTransport(s, (InetSocketAddress) s.getRemoteSocketAddress());
    }

    @Override
    public void send(byte[] packet) throws IOException {
        byte[] framed = new byte[packet.length + 2];
        framed[0] = (byte) (packet.length >>> 8);
        framed[1] = (byte) packet.length;
        System.arraycopy(packet, 0, framed, 2, packet.length);
        out.write(framed);
    }

    @Override
    public int receive(byte[] buf) throws IOException {
        try {
            int len = in.readUnsignedShort();
            if (len == 0 || len > buf.length) {
                throw new IOException("Bad encapsulated packet length from " + remote + ": " + len);
            }
            in.readFully(buf, 0, len);
            return len;
        } catch (EOFException e) {
            if (closed) {
                return -1;
            }
            throw new IOException("Connection reset by " + remote, e);
        } catch (SocketException e) {
            if (closed) {
                return -1;
            }
            throw e;
        }
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public boolean isTcp() {
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
