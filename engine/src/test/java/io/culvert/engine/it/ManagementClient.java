package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal client of OpenVPN's management protocol for tests: sends commands and collects replies, keeping
 * real-time {@code >} notifications apart. Not thread-safe (one test thread drives it).
 */
public final class ManagementClient implements AutoCloseable {
    private static final Duration REPLY = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> notifications = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicLong received = new AtomicLong();

    private ManagementClient(SocketChannel channel) {
        this.channel = channel;
        Thread.ofVirtual().start(this::read);
    }

    /** Connects to a Unix socket, waiting up to {@code wait} for it to appear. */
    public static ManagementClient unix(Path socket, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                if (Files.exists(socket)) {
                    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return new ManagementClient(ch);
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException(e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no management socket " + socket + " within " + wait);
            }
            Pause.quietly(100);
        }
    }

    /** Connects to TCP, retrying until {@code wait} has passed. */
    public static ManagementClient tcp(SocketAddress address, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return new ManagementClient(SocketChannel.open(address));
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException(e);
                }
                Pause.quietly(100);
            }
        }
    }

    /** The next line (notifications included), or fails after the reply timeout. */
    public String nextLine() {
        try {
            String l = lines.poll(REPLY.toMillis(), TimeUnit.MILLISECONDS);
            if (l == null) {
                throw new AssertionError("no line within " + REPLY + "; partial: '" + partial + "'");
            }
            return l;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Takes the text received that ends without a line break (a password prompt): waits up to the reply timeout for it
     * to start, then until no more arrives for 150 ms (a slow peer's prompt is neither missed nor merged with the next).
     */
    public String pendingPrompt() {
        long deadline = System.nanoTime() + REPLY.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            int now;
            synchronized (partial) {
                now = partial.length();
            }
            if (now > 0 && now == seen) {
                break;
            }
            seen = now;
            Pause.quietly(now > 0 ? 150 : 20);
        }
        synchronized (partial) {
            String p = partial.toString();
            partial.setLength(0);
            return p;
        }
    }

    /** Sends {@code command}; returns the reply's lines up to and including {@code END}. */
    public List<String> multi(String command) {
        send(command);
        List<String> reply = new ArrayList<>();
        while (true) {
            String l = replyLine();
            reply.add(l);
            if (l.equals("END")) {
                return reply;
            }
        }
    }

    /**
     * The server's {@code status 2} GLOBAL_STATS rows with a count (Culvert's refusal and drop counters among them),
     * name → count, read over a fresh connection to the Unix socket {@code socket}.
     */
    public static Map<String, Long> globalStats(Path socket, Duration wait) {
        Map<String, Long> out = new HashMap<>();
        try (ManagementClient m = unix(socket, wait)) {
            for (String l : m.multi("status 2")) {
                String[] f = l.split(",");
                if (f.length == 3 && f[0].equals("GLOBAL_STATS") && f[2].matches("\\d+")) {
                    out.put(f[1], Long.parseLong(f[2]));
                }
            }
        }
        return out;
    }

    /** Sends {@code command}; returns its one-line reply ({@code SUCCESS: ...} or {@code ERROR: ...}). */
    public String single(String command) {
        send(command);
        return replyLine();
    }

    public void send(String command) {
        try {
            ByteBuffer b = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a notification starting with {@code prefix} (earlier ones are kept); returns it. */
    public String awaitNotification(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String n : notifications) {
                if (n.startsWith(prefix)) {
                    notifications.remove(n);
                    return n;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no '" + prefix + "' within " + timeout + "; got " + notifications);
            }
            try {
                String l = lines.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
                if (l != null) {
                    notifications.add(l);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Notifications received so far and not yet claimed. */
    public List<String> notifications() {
        return notifications;
    }

    /** True once the peer closed the connection (waits up to {@code timeout}). */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!channel.isOpen() || eof) {
                return true;
            }
            Pause.quietly(50);
        }
        return false;
    }

    private volatile boolean eof;
    private volatile boolean bareLineFeed;

    /** Bytes received so far (notifications and replies). */
    public long receivedBytes() {
        return received.get();
    }

    /** True when some line ended in LF alone rather than OpenVPN's CRLF. */
    public boolean sawBareLineFeed() {
        return bareLineFeed;
    }

    private String replyLine() {
        while (true) {
            String l = nextLine();
            if (l.startsWith(">")) {
                notifications.add(l);
            } else {
                return l;
            }
        }
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            int n;
            while ((n = channel.read(buf)) >= 0) {
                received.addAndGet(n);
                buf.flip();
                String text = StandardCharsets.UTF_8.decode(buf).toString();
                buf.clear();
                synchronized (partial) {
                    partial.append(text);
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String l = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        bareLineFeed |= !l.endsWith("\r");
                        lines.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
        eof = true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

}
