package io.culvert.engine.transport.websocket;

import io.culvert.engine.common.Threads;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.transport.websocket.WebSocketFrame.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenVPN's TCP stream over an upgraded WebSocket connection (ADR 0042). Each packet leaves as one binary message
 * holding its 16-bit length and the packet, as over {@code proto tcp}; incoming binary messages, whole or fragmented,
 * are one stream cut at the length prefixes. Pings are answered; {@link #startPings} pings the peer. Two fixed buffers
 * bound what one connection holds: one frame ({@link #MAX_FRAME} bytes of payload) and twice that of stream.
 */
public final class WebSocketTransport implements Transport {
    /** Largest frame payload accepted: one full-size packet with its length prefix. */
    public static final int MAX_FRAME = 2 + MAX_PACKET;
    /** Largest message accepted. */
    public static final int MAX_MESSAGE = MAX_FRAME;
    /** How often each end pings: well inside nginx's default 60 s proxy_read_timeout. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(20);

    private final java.io.Closeable socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean client;
    private final InetSocketAddress remote;
    private final SecureRandom random = new SecureRandom();
    /** Frames read from the socket, not yet parsed. Reader thread only. */
    private final ByteBuffer rx = ByteBuffer.allocate(WebSocketFrame.MAX_HEADER + MAX_FRAME).flip();
    /** Stream bytes from data frames, not yet cut into packets. Reader thread only. */
    private final ByteBuffer stream = ByteBuffer.allocate(2 * MAX_FRAME).flip();
    /** The senders' lock, held while {@link #tx} is filled and written. */
    private final java.util.concurrent.locks.ReentrantLock sendLock = new java.util.concurrent.locks.ReentrantLock();
    /** The senders' frame buffer. */
    private final ByteBuffer tx = ByteBuffer.allocate(WebSocketFrame.MAX_HEADER + MAX_FRAME);
    private boolean inMessage;
    private long messageBytes;
    private volatile boolean closed;
    private volatile boolean closeSent;
    private final AtomicLong pingsSent = new AtomicLong();
    private final AtomicLong pongsSeen = new AtomicLong();

    /**
     * Wraps a connection whose upgrade is done. {@code in} reads the socket past the HTTP head (it may buffer);
     * {@code client} says which end this is (a client masks what it sends and expects unmasked frames).
     */
    public WebSocketTransport(java.io.Closeable socket, InputStream in, OutputStream out, boolean client, InetSocketAddress remote) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.client = client;
        this.remote = remote;
    }

    /** Pings the peer every {@code interval} on a virtual thread until the connection closes. */
    public void startPings(Duration interval) {
        Threads.virtual("culvert-ws-ping-" + remote).start(() -> {
            try {
                while (!closed) {
                    Thread.sleep(interval);
                    if (!closed) {
                        control(WebSocketFrame.PING, longBytes(pingsSent.incrementAndGet()));
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the reader sees the broken connection
            }
        });
    }

    /** Pings sent by {@link #startPings} so far. */
    public long pingsSent() {
        return pingsSent.get();
    }

    /** Pongs received so far. */
    public long pongsSeen() {
        return pongsSeen.get();
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        sendTrain(buf, off, len, len);
    }

    /** Each packet of the train as one binary message; all of them in as few writes as fit the frame buffer. */
    @Override
    public void sendTrain(byte[] buf, int off, int len, int segmentSize) throws IOException {
        if (segmentSize <= 0 || segmentSize > MAX_PACKET || len <= 0) {
            throw new IllegalArgumentException("train of " + len + " bytes in segments of " + segmentSize);
        }
        sendLock.lock();
        try {
            for (int p = 0; p < len; p += segmentSize) {
                int n = Math.min(segmentSize, len - p);
                int payload = 2 + n;
                if (tx.position() + WebSocketFrame.headerLength(payload, client) + payload > tx.capacity()) {
                    flushLocked();
                }
                byte[] key = client ? maskKey() : null;
                WebSocketFrame.writeHeader(tx, true, WebSocketFrame.BINARY, payload, key);
                int at = tx.position();
                tx.put((byte) (n >>> 8)).put((byte) n).put(buf, off + p, n);
                if (key != null) {
                    byte[] a = tx.array();
                    WebSocketFrame.mask(a, at, payload, key);
                }
            }
            flushLocked();
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public int receive(byte[] buf) throws IOException {
        try {
            while (true) {
                if (stream.remaining() >= 2) {
                    int len = stream.getShort(stream.position()) & 0xFFFF;
                    if (len == 0 || len > buf.length) {
                        throw new IOException("Bad encapsulated packet length from " + remote + ": " + len);
                    }
                    if (stream.remaining() >= 2 + len) {
                        stream.position(stream.position() + 2);
                        stream.get(buf, 0, len);
                        return len;
                    }
                }
                WebSocketFrame f = nextFrame();
                if (f == null) {
                    return -1;
                }
                data(f);
            }
        } catch (WebSocketException e) {
            fail(e);
            throw e;
        } catch (SocketException e) {
            if (closed) {
                return -1;
            }
            throw e;
        }
    }

    /** Takes a data frame's bytes into the stream, after the message rules (binary only, bounded, in order). */
    private void data(WebSocketFrame f) throws WebSocketException {
        switch (f.opcode()) {
            case WebSocketFrame.TEXT -> throw new WebSocketException(WebSocketException.UNSUPPORTED_DATA, "text message");
            case WebSocketFrame.BINARY -> {
                if (inMessage) {
                    throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "new message inside a fragmented one");
                }
                messageBytes = 0;
            }
            default -> {
                if (!inMessage) {
                    throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "continuation frame outside a message");
                }
            }
        }
        messageBytes += f.payload().length;
        if (messageBytes > MAX_MESSAGE) {
            throw new WebSocketException(WebSocketException.TOO_BIG, "message longer than " + MAX_MESSAGE + " bytes");
        }
        inMessage = !f.fin();
        stream.compact();
        stream.put(f.payload());
        stream.flip();
    }

    /** The next data frame, with control frames handled on the way; null once this end closed. */
    private WebSocketFrame nextFrame() throws IOException {
        while (true) {
            WebSocketFrame f = WebSocketFrame.parse(rx, client ? Sender.SERVER : Sender.CLIENT, MAX_FRAME);
            if (f == null) {
                rx.compact();
                int n = in.read(rx.array(), rx.position(), rx.remaining());
                rx.flip();
                if (n < 0) {
                    if (closed) {
                        return null;
                    }
                    throw new IOException("Connection reset by " + remote);
                }
                rx.limit(rx.limit() + n);
                continue;
            }
            switch (f.opcode()) {
                case WebSocketFrame.PING -> control(WebSocketFrame.PONG, f.payload());
                case WebSocketFrame.PONG -> pongsSeen.incrementAndGet();
                case WebSocketFrame.CLOSE -> {
                    if (!closeSent) {
                        control(WebSocketFrame.CLOSE, f.payload().length == 0 ? new byte[0]
                                : WebSocketFrame.closePayload(WebSocketFrame.closeCode(f.payload()), ""));
                    }
                    if (closed) {
                        return null;
                    }
                    close();
                    throw new IOException("WebSocket closed by " + remote + " (code "
                            + WebSocketFrame.closeCode(f.payload()) + ")");
                }
                default -> {
                    return f;
                }
            }
        }
    }

    /** Sends a close with the error's code, then drops the connection. */
    private void fail(WebSocketException e) {
        try {
            control(WebSocketFrame.CLOSE, WebSocketFrame.closePayload(e.code(), ""));
        } catch (IOException ignored) {
            // the connection is going anyway
        }
        close();
    }

    private void control(int opcode, byte[] payload) throws IOException {
        sendLock.lock();
        try {
            controlLocked(opcode, payload);
        } finally {
            sendLock.unlock();
        }
    }

    private void controlLocked(int opcode, byte[] payload) throws IOException {
        {
            if (closeSent) {
                return;
            }
            closeSent = opcode == WebSocketFrame.CLOSE;
            byte[] key = client ? maskKey() : null;
            WebSocketFrame.writeHeader(tx, true, opcode, payload.length, key);
            int at = tx.position();
            tx.put(payload);
            if (key != null) {
                WebSocketFrame.mask(tx.array(), at, payload.length, key);
            }
            flushLocked();
        }
    }

    private void flushLocked() throws IOException {
        if (tx.position() > 0) {
            try {
                out.write(tx.array(), 0, tx.position());
                out.flush();
            } finally {
                tx.clear();
            }
        }
    }

    private byte[] maskKey() {
        byte[] k = new byte[4];
        random.nextBytes(k);
        return k;
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public boolean isTcp() {
        return true;
    }

    /** Sends a normal close (1000) when none was sent yet, then closes the socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // a peer that stopped reading cannot hold the close frame's write up for long: the socket closes under it
        Threads.virtual("culvert-ws-close").start(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ignored) {
                // closing now
            }
            closeSocket();
        });
        // a close frame only when no sender is stuck in a write: closing never waits on a peer that stopped reading
        if (sendLock.tryLock()) {
            try {
                controlLocked(WebSocketFrame.CLOSE, WebSocketFrame.closePayload(1000, ""));
            } catch (IOException ignored) {
                // best effort
            } finally {
                sendLock.unlock();
            }
        }
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
