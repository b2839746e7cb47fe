package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between one OpenVPN client and a server that, on the stdin line {@code flood}, throws hostile
 * datagrams at the server: mostly from {@value #FOREIGN} sockets of its own (addresses the server has never
 * seen), and, when told to, some from the relay's server-side socket (the client's address as the server sees
 * it). It records the client's packets on the way through for replays. CLI: {@code ServerFlooder <listenAddr>
 * <listenPort> <serverAddr> <serverPort> <count> <seed> <none|tls-auth|tls-crypt> <fromClient true|false>};
 * prints {@code LISTENING}, then per flood {@code FLOOD DONE total=n KIND=n ... fromClient=n replies=n}. Relay
 * threads share the sample lists under their locks; one instance per process.
 */
public final class ServerFlooder {

    /** The kinds of hostile datagram. */
    enum Kind {
        /** Random bytes, random length 0..1600. */
        GARBAGE,
        /** P_CONTROL_HARD_RESET_CLIENT_V2 with a fresh session id: well-formed without wrap, a bad tag with one. */
        FORGED_RESET,
        /** P_CONTROL_V1 acking message 0 of a made-up server session (a wrong cookie). */
        FORGED_CONTROL,
        /** P_ACK_V1 acking message 0 of a made-up server session (a wrong cookie). */
        FORGED_ACK,
        /** An exact copy of a packet the client sent (its reset, its cookie ack, TLS records, data). */
        REPLAY,
        /** P_DATA_V2 with a random peer id and random payload. */
        DATA_RANDOM_PEER,
        /** P_DATA_V2 with the client's own header (peer id) and a bit-flipped or random body. */
        DATA_CLIENT_PEER
    }

    private static final int FOREIGN = 32;
    private static final int BURST = 200;
    private static final int MAX_SAMPLES = 512;

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final List<DatagramChannel> foreign;
    /** NIO sends nothing for an empty buffer; a classic socket does send a zero-length datagram. */
    private final java.net.DatagramSocket empties;
    private final SplittableRandom random;
    private final String wrap;
    private final boolean fromClient;
    private final List<byte[]> controlSamples = new ArrayList<>();
    private final List<byte[]> dataSamples = new ArrayList<>();
    private final AtomicLong toServer = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private volatile SocketAddress client;

    private ServerFlooder(DatagramChannel front, DatagramChannel back, List<DatagramChannel> foreign, long seed, String wrap,
            boolean fromClient) throws IOException {
        this.empties = new java.net.DatagramSocket();
        this.empties.connect(back.getRemoteAddress());
        this.front = front;
        this.back = back;
        this.foreign = foreign;
        this.random = new SplittableRandom(seed);
        this.wrap = wrap;
        this.fromClient = fromClient;
    }

    /** Starts a flooder as a child JVM in {@code ns}, output to {@code log}; feed it {@code flood} lines on stdin. */
    static Process start(Netns ns, Path log, String listenAddr, int listenPort, String serverAddr, int serverPort, int count,
            long seed, String wrap, boolean fromClient) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return ns.spawn(log, java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ServerFlooder.class.getName(), listenAddr, Integer.toString(listenPort), serverAddr, Integer.toString(serverPort),
                Integer.toString(count), Long.toString(seed), wrap, Boolean.toString(fromClient));
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 8) {
            System.err.println("usage: ServerFlooder <listenAddr> <listenPort> <serverAddr> <serverPort> <count> <seed> <wrap> <fromClient>");
            System.exit(2);
        }
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
        DatagramChannel front = DatagramChannel.open();
        front.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
        DatagramChannel back = DatagramChannel.open();
        back.connect(server);
        List<DatagramChannel> foreign = new ArrayList<>();
        for (int i = 0; i < FOREIGN; i++) {
            DatagramChannel ch = DatagramChannel.open();
            ch.connect(server);
            ch.configureBlocking(false);
            foreign.add(ch);
        }
        ServerFlooder f = new ServerFlooder(front, back, foreign, Long.parseLong(args[5]), args[6], Boolean.parseBoolean(args[7]));
        Thread.ofPlatform().name("flood-up").start(f::relayUp);
        Thread.ofPlatform().name("flood-down").start(f::relayDown);
        System.out.println("LISTENING " + front.getLocalAddress());
        System.out.flush();
        int count = Integer.parseInt(args[4]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.strip().equals("flood")) {
                System.out.println(f.flood(count));
                System.out.flush();
            }
        }
    }

    /** Client to server: records and forwards. */
    private void relayUp() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                client = front.receive(buf);
                buf.flip();
                byte[] packet = Arrays.copyOf(buf.array(), buf.limit());
                record(packet);
                back.write(ByteBuffer.wrap(packet));
                toServer.incrementAndGet();
            }
        } catch (IOException e) {
            System.out.println("relay up stopped: " + e);
        }
    }

    /** Server to client: forwards. */
    private void relayDown() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (true) {
            try {
                buf.clear();
                back.receive(buf);
                buf.flip();
                SocketAddress to = client;
                if (to != null) {
                    front.send(buf, to);
                    toClient.incrementAndGet();
                }
            } catch (java.net.PortUnreachableException e) {
                // the server is not up (yet)
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
            } else if (samples == dataSamples) {
                samples.set(java.util.concurrent.ThreadLocalRandom.current().nextInt(MAX_SAMPLES), packet);
            }
        }
    }

    /** Sends {@code count} hostile datagrams in paced bursts; returns the summary line. */
    String flood(int count) {
        Map<Kind, Integer> sent = new EnumMap<>(Kind.class);
        long replies = 0;
        int failed = 0;
        int viaClient = 0;
        long start = System.nanoTime();
        ByteBuffer sink = ByteBuffer.allocate(65536);
        for (int i = 0; i < count; i++) {
            Kind kind = pick();
            byte[] packet = make(kind);
            boolean asClient = fromClient && random.nextInt(10) == 0;
            try {
                if (packet.length == 0) {
                    empties.send(new java.net.DatagramPacket(packet, 0));
                } else if (asClient) {
                    back.write(ByteBuffer.wrap(packet));
                    viaClient++;
                } else {
                    // Non-blocking (for draining): a full send buffer makes write return 0 without sending.
                    DatagramChannel ch = foreign.get(random.nextInt(FOREIGN));
                    while (ch.write(ByteBuffer.wrap(packet)) == 0) {
                        Pause.quietly(1);
                    }
                }
                sent.merge(kind, 1, Integer::sum);
            } catch (IOException e) {
                failed++;
            }
            if (i % BURST == BURST - 1) {
                replies += drain(sink);
                Pause.quietly(4);
            }
        }
        // The server may still be working through its backlog: collect late replies until a quiet second.
        long quietSince = System.nanoTime();
        long deadline = quietSince + 10_000_000_000L;
        while (System.nanoTime() - quietSince < 1_000_000_000L && System.nanoTime() < deadline) {
            Pause.quietly(50);
            long late = drain(sink);
            if (late > 0) {
                replies += late;
                quietSince = System.nanoTime();
            }
        }
        StringBuilder line = new StringBuilder("FLOOD DONE total=").append(count - failed);
        sent.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        line.append(" fromClient=").append(viaClient).append(" replies=").append(replies).append(" failed=").append(failed)
                .append(" millis=").append((System.nanoTime() - start) / 1_000_000).append(" relayed toServer=")
                .append(toServer.get()).append(" toClient=").append(toClient.get());
        return line.toString();
    }

    /** Reads and counts whatever the server sent to the foreign sockets (stateless cookie replies). */
    private long drain(ByteBuffer sink) {
        long n = 0;
        for (DatagramChannel ch : foreign) {
            try {
                while (true) {
                    sink.clear();
                    if (ch.receive(sink) == null) {
                        break;
                    }
                    n++;
                }
            } catch (IOException e) {
                // ICMP port unreachable and the like: nothing to count
            }
        }
        return n;
    }

    private Kind pick() {
        int r = random.nextInt(100);
        if (r < 20) {
            return Kind.GARBAGE;
        } else if (r < 40) {
            return Kind.FORGED_RESET;
        } else if (r < 52) {
            return Kind.FORGED_CONTROL;
        } else if (r < 58) {
            return Kind.FORGED_ACK;
        } else if (r < 80) {
            return Kind.REPLAY;
        } else if (r < 90) {
            return Kind.DATA_RANDOM_PEER;
        }
        return Kind.DATA_CLIENT_PEER;
    }

    private byte[] make(Kind kind) {
        return switch (kind) {
            case GARBAGE -> randomBytes(random.nextInt(1601));
            case FORGED_RESET -> control(7, false, 0, new byte[0]);
            case FORGED_CONTROL -> control(4, true, random.nextInt(2), randomBytes(random.nextInt(300)));
            case FORGED_ACK -> control(5, true, 0, new byte[0]);
            case REPLAY -> random.nextInt(3) == 0 ? sample(dataSamples) : sample(controlSamples);
            case DATA_RANDOM_PEER -> {
                byte[] p = randomBytes(24 + random.nextInt(1400));
                p[0] = (byte) (9 << 3);
                if (random.nextBoolean()) {
                    p[1] = 0;
                    p[2] = 0;
                    p[3] = (byte) random.nextInt(8);
                }
                yield p;
            }
            case DATA_CLIENT_PEER -> {
                byte[] real = sample(dataSamples);
                byte[] p = random.nextBoolean() ? real : randomBytes(Math.max(4, real.length));
                System.arraycopy(real, 0, p, 0, Math.min(4, real.length));
                if (p.length > 4) {
                    int bit = 32 + random.nextInt((p.length - 4) * 8);
                    p[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                yield p;
            }
        };
    }

    /**
     * A control packet: opcode, fresh session id, optionally one ack of a random remote session, message id
     * (except ACK_V1) and payload; plain for wrap {@code none}, else the wrap's header with random tag bytes.
     */
    private byte[] control(int opcode, boolean ack, int messageId, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 48 + 1 + 4 + 8 + 4 + payload.length);
        b.put((byte) (opcode << 3));
        b.putLong(random.nextLong());
        if (wrap.equals("tls-auth")) {
            b.put(randomBytes(32 + 8)); // an HMAC-SHA256 (or SHA1 and 12 more bytes), packet id, time
        } else if (wrap.equals("tls-crypt")) {
            b.put(randomBytes(8 + 32)); // packet id, time, tag; the rest is "ciphertext"
        }
        if (ack) {
            b.put((byte) 1).putInt(0).putLong(random.nextLong());
        } else {
            b.put((byte) 0);
        }
        if (opcode != 5) {
            b.putInt(messageId);
        }
        b.put(payload);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A copy of a random recorded packet, or random bytes when none of that kind was recorded. */
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
