package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between one OpenVPN client and a server that, on the stdin line {@code flood}, also throws
 * hostile datagrams at the client from the relay's own address, so they pass the client's connected-socket
 * filter. CLI: {@code FuzzProxy <listenAddr> <listenPort> <serverAddr> <serverPort> <count> <seed>}; prints
 * {@code LISTENING}, then per flood {@code FLOOD DONE total=n KIND=n ...}. Relay threads share state through
 * synchronized sample lists; one instance per process.
 */
public final class FuzzProxy {

    /** The kinds of hostile datagram the flood sends. */
    enum Kind {
        /** Random bytes, random length 0..2000 (with extra weight on 0, 1, 13 and over 1600). */
        RANDOM,
        /** A recorded server packet with 1 to 8 random bits flipped. */
        BIT_FLIP,
        /** A recorded server packet cut short at a random length. */
        TRUNCATED,
        /** An exact copy of a recorded server data packet. */
        REPLAY_DATA,
        /** An exact copy of a recorded server control packet. */
        REPLAY_CONTROL,
        /** A data-channel header copied from a real packet (opcode, key id, peer id), then garbage. */
        FAKE_DATA,
        /** A 60000-byte datagram. */
        OVERSIZED
    }

    private static final int MAX_SAMPLES = 512;
    private static final int BURST = 250;

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final SplittableRandom random;
    private final List<byte[]> dataSamples = new ArrayList<>();
    private final List<byte[]> controlSamples = new ArrayList<>();
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong toServer = new AtomicLong();
    private volatile SocketAddress client;

    private FuzzProxy(DatagramChannel front, DatagramChannel back, long seed) {
        this.front = front;
        this.back = back;
        this.random = new SplittableRandom(seed);
    }

    /** Starts a proxy as a child JVM in {@code ns}, output to {@code log}; feed it {@code flood} lines on stdin. */
    static Process start(Netns ns, java.nio.file.Path log, String listenAddr, int listenPort, String serverAddr,
            int serverPort, int count, long seed) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return ns.spawn(log, java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                FuzzProxy.class.getName(), listenAddr, Integer.toString(listenPort), serverAddr,
                Integer.toString(serverPort), Integer.toString(count), Long.toString(seed));
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: FuzzProxy <listenAddr> <listenPort> <serverAddr> <serverPort> <count> <seed>");
            System.exit(2);
        }
        DatagramChannel front = DatagramChannel.open();
        front.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        front.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
        DatagramChannel back = DatagramChannel.open();
        back.connect(new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3])));
        FuzzProxy proxy = new FuzzProxy(front, back, Long.parseLong(args[5]));
        Thread.ofPlatform().name("fuzz-up").start(proxy::relayUp);
        Thread.ofPlatform().name("fuzz-down").start(proxy::relayDown);
        System.out.println("LISTENING " + front.getLocalAddress());
        System.out.flush();
        int count = Integer.parseInt(args[4]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.strip().equals("flood")) {
                System.out.println(proxy.flood(count));
                System.out.flush();
            }
        }
    }

    /** Client to server: remembers the client's address and forwards. */
    private void relayUp() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                SocketAddress from = front.receive(buf);
                client = from;
                buf.flip();
                back.write(buf);
                toServer.incrementAndGet();
            }
        } catch (IOException e) {
            System.out.println("relay up stopped: " + e);
        }
    }

    /** Server to client: records samples and forwards. */
    private void relayDown() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (true) {
            try {
                buf.clear();
                back.receive(buf);
                buf.flip();
                byte[] packet = Arrays.copyOf(buf.array(), buf.limit());
                record(packet);
                SocketAddress to = client;
                if (to != null) {
                    front.send(ByteBuffer.wrap(packet), to);
                    toClient.incrementAndGet();
                }
            } catch (java.net.PortUnreachableException e) {
                // the server is not up (yet); keep relaying
            } catch (IOException e) {
                System.out.println("relay down stopped: " + e);
                return;
            }
        }
    }

    private void record(byte[] packet) {
        if (packet.length == 0) {
            return;
        }
        int opcode = (packet[0] & 0xff) >>> 3;
        List<byte[]> samples = opcode == 6 || opcode == 9 ? dataSamples : controlSamples;
        synchronized (samples) {
            if (samples.size() < MAX_SAMPLES) {
                samples.add(packet);
            } else {
                samples.set(java.util.concurrent.ThreadLocalRandom.current().nextInt(MAX_SAMPLES), packet);
            }
        }
    }

    /** Sends {@code count} hostile datagrams to the client in paced bursts; returns the summary line. */
    String flood(int count) {
        SocketAddress to = client;
        if (to == null) {
            return "FLOOD FAILED no client yet";
        }
        Map<Kind, Integer> sent = new EnumMap<>(Kind.class);
        long start = System.nanoTime();
        int failed = 0;
        for (int i = 0; i < count; i++) {
            Kind kind = pick();
            byte[] packet = make(kind);
            try {
                front.send(ByteBuffer.wrap(packet), to);
                sent.merge(kind, 1, Integer::sum);
            } catch (IOException e) {
                failed++;
            }
            if (i % BURST == BURST - 1) {
                Pause.quietly(5);
            }
        }
        StringBuilder line = new StringBuilder("FLOOD DONE total=").append(count - failed);
        sent.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        line.append(" failed=").append(failed).append(" millis=").append((System.nanoTime() - start) / 1_000_000)
                .append(" relayed toClient=").append(toClient.get()).append(" toServer=").append(toServer.get());
        return line.toString();
    }

    private Kind pick() {
        int r = random.nextInt(100);
        if (r < 30) {
            return Kind.RANDOM;
        } else if (r < 50) {
            return Kind.BIT_FLIP;
        } else if (r < 62) {
            return Kind.TRUNCATED;
        } else if (r < 77) {
            return Kind.REPLAY_DATA;
        } else if (r < 84) {
            return Kind.REPLAY_CONTROL;
        } else if (r < 99) {
            return Kind.FAKE_DATA;
        }
        return Kind.OVERSIZED;
    }

    private byte[] make(Kind kind) {
        return switch (kind) {
            case RANDOM -> randomBytes(randomLength());
            case BIT_FLIP -> {
                byte[] p = anySample();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips && p.length > 0; i++) {
                    int bit = random.nextInt(p.length * 8);
                    p[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                yield p;
            }
            case TRUNCATED -> {
                byte[] p = anySample();
                yield Arrays.copyOf(p, p.length == 0 ? 0 : random.nextInt(p.length));
            }
            case REPLAY_DATA -> sample(dataSamples);
            case REPLAY_CONTROL -> sample(controlSamples);
            case FAKE_DATA -> {
                byte[] real = sample(dataSamples);
                byte[] p = randomBytes(8 + random.nextInt(1500));
                System.arraycopy(real, 0, p, 0, Math.min(4, real.length));
                yield p;
            }
            case OVERSIZED -> {
                byte[] p = randomBytes(60_000);
                byte[] real = anySample();
                System.arraycopy(real, 0, p, 0, Math.min(real.length, p.length));
                yield p;
            }
        };
    }

    private int randomLength() {
        return switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 13;
            case 3 -> 1601 + random.nextInt(400);
            default -> random.nextInt(2001);
        };
    }

    private byte[] anySample() {
        return random.nextBoolean() ? sample(dataSamples) : sample(controlSamples);
    }

    /** A copy of a random recorded packet, or random bytes when nothing of that kind was recorded. */
    private byte[] sample(List<byte[]> samples) {
        synchronized (samples) {
            if (!samples.isEmpty()) {
                return samples.get(random.nextInt(samples.size())).clone();
            }
        }
        return randomBytes(1 + random.nextInt(200));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

}
