package io.culvert.engine.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verified bulk TCP transfer of a seeded pseudo-random stream, as a CLI ({@code serve} / {@code send})
 * and as {@link #transfer}, which runs both ends as child JVMs in two namespaces. Stateless.
 */
public final class TcpBlast {

    /**
     * Outcome of {@link #transfer}; immutable.
     *
     * @param ok true when the receiver got exactly the expected bytes
     * @param bytes bytes requested
     * @param millis receiver time from accept to last byte
     * @param mbitPerSec throughput in Mbit/s (10^6 bit), 0 when not ok
     * @param report receiver and sender output, for failure messages
     */
    public record Result(boolean ok, long bytes, long millis, double mbitPerSec, String report) { }

    private static final int BLOCK = 64 * 1024; // multiple of 8, so every block draws whole longs
    private static final Pattern OK = Pattern.compile("OK (\\d+) (\\d+)");

    private TcpBlast() { }

    /** Moves {@code bytes} from namespace {@code from} to {@code toAddr} in namespace {@code to}; 2 min budget. */
    public static Result transfer(Netns from, Netns to, String toAddr, long bytes) {
        return transfer(from, to, toAddr, bytes, Duration.ofMinutes(2));
    }

    /** Like {@link #transfer(Netns, Netns, String, long)} with an explicit time budget. */
    public static Result transfer(Netns from, Netns to, String toAddr, long bytes, Duration timeout) {
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        long seed = ThreadLocalRandom.current().nextLong();
        try {
            Path serveLog = Files.createTempFile("cvt-blast-serve", ".log");
            Path sendLog = Files.createTempFile("cvt-blast-send", ".log");
            try {
                long deadline = System.nanoTime() + timeout.toNanos();
                Process server = to.spawn(serveLog, javaCmd("serve", toAddr, port, bytes, seed));
                awaitListening(server, serveLog, deadline);
                Process sender = from.spawn(sendLog, javaCmd("send", toAddr, port, bytes, seed));
                boolean done = server.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        && sender.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                Netns.killTree(server.toHandle());
                Netns.killTree(sender.toHandle());
                String report = "serve: " + Files.readString(serveLog).strip() + "\nsend: " + Files.readString(sendLog).strip()
                        + (done ? "" : "\n[timed out after " + timeout + "]");
                Matcher m = OK.matcher(Files.readString(serveLog));
                if (!done || server.exitValue() != 0 || !m.find()) {
                    return new Result(false, bytes, -1, 0, report);
                }
                long millis = Math.max(1, Long.parseLong(m.group(2)));
                return new Result(true, bytes, millis, bytes * 8.0 / millis / 1000.0, report);
            } finally {
                Files.deleteIfExists(serveLog);
                Files.deleteIfExists(sendLog);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** CLI: {@code serve <bindAddr> <port> <bytes> <seed>} or {@code send <host> <port> <bytes> <seed>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 5 || !(args[0].equals("serve") || args[0].equals("send"))) {
            System.err.println("usage: TcpBlast serve|send <addr> <port> <bytes> <seed>");
            System.exit(2);
        }
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        long bytes = Long.parseLong(args[3]);
        long seed = Long.parseLong(args[4]);
        String outcome = args[0].equals("serve") ? serve(addr, bytes, seed) : send(addr, bytes, seed);
        System.out.println(outcome);
        System.exit(outcome.startsWith("OK") || outcome.startsWith("SENT") ? 0 : 1);
    }

    /** Accepts one connection, reads {@code bytes} and compares them with the stream for {@code seed}. */
    static String serve(InetSocketAddress bind, long bytes, long seed) throws IOException {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(bind);
            System.out.println("LISTENING " + bind);
            System.out.flush();
            try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                long start = System.nanoTime();
                SplittableRandom expected = new SplittableRandom(seed);
                byte[] want = new byte[BLOCK];
                byte[] got = new byte[BLOCK];
                for (long offset = 0; offset < bytes; offset += BLOCK) {
                    int n = (int) Math.min(BLOCK, bytes - offset);
                    expected.nextBytes(want);
                    int read = in.readNBytes(got, 0, n);
                    int diff = Arrays.mismatch(want, 0, read, got, 0, read);
                    if (diff >= 0) {
                        return "MISMATCH at offset " + (offset + diff);
                    }
                    if (read < n) {
                        return "SHORT at offset " + (offset + read);
                    }
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                return in.read() == -1 ? "OK " + bytes + " " + millis : "EXTRA bytes after " + bytes;
            }
        }
    }

    /** Connects and writes {@code bytes} of the stream for {@code seed}. */
    static String send(InetSocketAddress to, long bytes, long seed) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 10_000);
            long start = System.nanoTime();
            OutputStream out = s.getOutputStream();
            SplittableRandom stream = new SplittableRandom(seed);
            byte[] block = new byte[BLOCK];
            for (long offset = 0; offset < bytes; offset += BLOCK) {
                stream.nextBytes(block);
                out.write(block, 0, (int) Math.min(BLOCK, bytes - offset));
            }
            s.shutdownOutput();
            s.getInputStream().read(); // wait for the receiver to close: all bytes arrived
            return "SENT " + bytes + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    private static void awaitListening(Process server, Path log, long deadline) throws IOException, InterruptedException {
        while (!Files.readString(log).contains("LISTENING")) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                Netns.killTree(server.toHandle());
                throw new AssertionError("TcpBlast receiver did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    private static String[] javaCmd(String mode, String addr, int port, long bytes, long seed) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new String[] {java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            TcpBlast.class.getName(), mode, addr, Integer.toString(port), Long.toString(bytes), Long.toString(seed)};
    }
}
