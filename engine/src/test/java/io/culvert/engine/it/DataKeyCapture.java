package io.culvert.engine.it;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code tcpdump} in the server namespace recording the first bytes of small UDP data-channel packets
 * (P_DATA_V2: pings, keepalives, ACKs), so a test can count which key_ids each side really sent. Not thread-safe.
 */
final class DataKeyCapture implements AutoCloseable {
    private static final int DATA_V2 = 9;

    private final Netns ns;
    private final Path pcap;
    private final Process tcpdump;

    private DataKeyCapture(Netns ns, Path pcap, Process tcpdump) {
        this.ns = ns;
        this.pcap = pcap;
        this.tcpdump = tcpdump;
    }

    /** Starts capturing on {@code dev} in {@code ns} into {@code dir/data-keys.pcap}; waits until tcpdump listens. */
    static DataKeyCapture start(Netns ns, String dev, Path dir) {
        Path pcap = dir.resolve("data-keys.pcap");
        Path log = dir.resolve("tcpdump.log");
        Process p = ns.spawn(log, "tcpdump", "-i", dev, "-n", "-s", "64", "-U", "-w", pcap.toString(),
                "udp and udp[4:2] < 300 and (udp[8] & 0xf8) = " + (DATA_V2 << 3));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
            while (!java.nio.file.Files.readString(log).contains("listening on") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (Exception e) {
            Netns.killTree(p.toHandle());
            throw new IllegalStateException("tcpdump did not start", e);
        }
        return new DataKeyCapture(ns, pcap, p);
    }

    /** Stops the capture, flushing the file. Idempotent. */
    @Override
    public void close() {
        Netns.killTree(tcpdump.toHandle());
    }

    /** Number of captured P_DATA_V2 packets with {@code keyId} sent from {@code srcAddr}. */
    int count(String srcAddr, int keyId) {
        ExecResult r = ns.exec(Duration.ofSeconds(60), "tcpdump", "-r", pcap.toString(), "-n",
                "src host " + srcAddr + " and udp[8] = " + ((DATA_V2 << 3) | keyId));
        return (int) r.output().lines().filter(l -> l.contains(" > ")).count();
    }
}
