package io.culvert.engine.bench;

import io.culvert.engine.sys.LinuxUdpSocket;
import io.culvert.engine.sys.Received;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UDP batching micro benchmark on loopback: a sender thread and a receiver thread in this process move datagrams
 * of one size for a few seconds per mode, and the benchmark prints datagrams/s received and the process's CPU µs
 * per received datagram, for the JDK's DatagramChannel one by one, the native socket one by one, sendmmsg batches,
 * GSO trains to a plain receiver and GSO trains to a GRO receiver. Rounds alternate the modes.
 * Usage: UdpBatchBenchmark [--seconds N] [--rounds N] [--size BYTES] [--train N]
 */
public final class UdpBatchBenchmark {
    private enum Mode { JDK_ONE_BY_ONE, ONE_BY_ONE, SENDMMSG, GSO, GSO_GRO }

    private record Result(long sent, long received, double seconds, long cpuNanos) {}

    private UdpBatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = 3;
        int rounds = 2;
        int size = 1400;
        int train = 44;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                case "--train" -> train = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        train = Math.min(train, 65000 / size);
        System.out.printf("udp-batch-bench: loopback, %d-byte datagrams, trains of %d, %d s per mode, %d rounds%n",
                size, train, seconds, rounds);
        System.out.printf("%-15s %5s %14s %14s %12s %10s%n", "mode", "round", "sent/s", "received/s", "cpu µs/dgram", "loss %");
        for (Mode warm : Mode.values()) {
            run(warm, 1, size, train);
        }
        for (int r = 1; r <= rounds; r++) {
            for (Mode mode : Mode.values()) {
                Result res = run(mode, seconds, size, train);
                double lossPct = res.sent == 0 ? 0 : 100.0 * (res.sent - res.received) / res.sent;
                System.out.printf("%-15s %5d %14.0f %14.0f %12.3f %10.1f%n", mode.name().toLowerCase(), r,
                        res.sent / res.seconds, res.received / res.seconds,
                        res.received == 0 ? 0 : res.cpuNanos / 1000.0 / res.received, Math.max(0, lossPct));
            }
        }
    }

    private static Result run(Mode mode, int seconds, int size, int train) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        boolean gro = mode == Mode.GSO_GRO;
        try (LinuxUdpSocket receiver = LinuxUdpSocket.open(any, null, 0, 4 << 20, false, gro)) {
            InetSocketAddress to = receiver.localAddress();
            AtomicLong received = new AtomicLong();
            Thread rx = Thread.ofPlatform().name("bench-rx").start(() -> receive(receiver, received));
            byte[] buf = new byte[size * train];
            long sent = 0;
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            if (mode == Mode.JDK_ONE_BY_ONE) {
                try (DatagramChannel ch = DatagramChannel.open()) {
                    ch.connect(to);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, size);
                    while (System.nanoTime() < end) {
                        for (int i = 0; i < train; i++) {
                            bb.clear().limit(size);
                            try {
                                ch.write(bb);
                                sent++;
                            } catch (IOException e) {
                                // a full buffer or a refused datagram: count only what left
                            }
                        }
                    }
                }
            } else {
                boolean gso = mode == Mode.GSO || mode == Mode.GSO_GRO;
                try (LinuxUdpSocket sender = LinuxUdpSocket.open(null, to, 4 << 20, 0, gso, false)) {
                    while (System.nanoTime() < end) {
                        try {
                            if (mode == Mode.ONE_BY_ONE) {
                                for (int i = 0; i < train; i++) {
                                    sender.send(buf, i * size, size, null);
                                }
                            } else {
                                sender.sendTrain(buf, 0, buf.length, size, null);
                            }
                            sent += train;
                        } catch (IOException e) {
                            // a refused datagram (ENOBUFS): the rest still went
                        }
                    }
                }
            }
            long elapsed = System.nanoTime() - t0;
            Thread.sleep(100);
            long cpu = os.getProcessCpuTime() - cpu0;
            receiver.close();
            rx.join();
            return new Result(sent, received.get(), elapsed / 1e9, cpu);
        }
    }

    private static void receive(LinuxUdpSocket socket, AtomicLong count) {
        byte[] buf = new byte[65536];
        Received from = new Received();
        try {
            while (true) {
                int n = socket.receive(buf, 0, buf.length, from);
                if (n < 0) {
                    return;
                }
                count.addAndGet(from.segmentSize() == 0 ? 1 : (n + from.segmentSize() - 1) / from.segmentSize());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
