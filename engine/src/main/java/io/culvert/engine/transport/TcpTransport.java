package io.culvert.engine.transport;

import io.culvert.engine.sys.TcpDeviceBinding;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
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
    /** The sending threads' framing buffer, also their lock: up to 64 KiB of framed packets per write. */
    private final byte[] framed = new byte[2 + MAX_PACKET];

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
     * Like {@link #connect(InetSocketAddress, InetSocketAddress, Duration)}, the socket bound to device (or VRF)
     * {@code bindDev} before it connects, as OpenVPN's {@code bind-dev} binds its TCP socket; null binds none. A
     * failure to bind to the device is only a warning, given to {@code warn}, as in OpenVPN.
     */
    public static TcpTransport connect(InetSocketAddress remote, InetSocketAddress localBind, Duration timeout,
                                       String bindDev, java.util.function.Consumer<String> warn) throws IOException {
        if (bindDev == null) {
            return connect(remote, localBind, timeout);
        }
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (localBind != null) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            // Bound first (to any port when no local address is set), so the socket can be found and bound to the device.
            ch.bind(localBind != null ? localBind : new InetSocketAddress(0));
            TcpDeviceBinding.bind(ch, bindDev, warn);
            Socket s = ch.socket();
            s.connect(remote, (int) timeout.toMillis());
            return new TcpTransport(s, remote);
        } catch (IOException e) {
            ch.close();
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

    /**
     * Reads the first bytes the peer sends into {@code buf} without consuming them: returns once at least {@code min}
     * bytes (or {@code buf.length}) arrived, or fewer when the peer closes first. {@link #receive} and
     * {@link #rawInput} still see them. Waits at most {@code timeoutMillis} (then throws).
     */
    public int peek(byte[] buf, int min, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        in.mark(buf.length);
        int n = 0;
        try {
            while (n < Math.min(min, buf.length)) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } finally {
            in.reset();
            socket.setSoTimeout(0);
        }
        return n;
    }

    /** The connection as a plain byte stream, starting with any bytes {@link #peek} saw; framing is not used after. */
    public InputStream rawInput() {
        return in;
    }

    /** The connection's socket, for a caller that takes it over (see {@link #rawInput}). */
    public Socket socket() {
        return socket;
    }

    /** Writes the length and the packet in one {@code write}; senders on several threads take turns. */
    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        sendTrain(buf, off, len, len);
    }

    /**
     * Frames each packet of the train and writes them all in one {@code write}, so a batch from the device costs one
     * system call; senders on several threads take turns.
     */
    @Override
    public void sendTrain(byte[] buf, int off, int len, int segmentSize) throws IOException {
        if (segmentSize <= 0 || segmentSize > MAX_PACKET || len <= 0) {
            throw new IllegalArgumentException("train of " + len + " bytes in segments of " + segmentSize);
        }
        synchronized (framed) {
            int at = 0;
            for (int p = 0; p < len; p += segmentSize) {
                int n = Math.min(segmentSize, len - p);
                if (at + 2 + n > framed.length) {
                    out.write(framed, 0, at);
                    at = 0;
                }
                framed[at] = (byte) (n >>> 8);
                framed[at + 1] = (byte) n;
                System.arraycopy(buf, off + p, framed, at + 2, n);
                at += 2 + n;
            }
            out.write(framed, 0, at);
        }
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
