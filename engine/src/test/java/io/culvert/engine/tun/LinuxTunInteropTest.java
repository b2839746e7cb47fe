package io.culvert.engine.tun;

import io.culvert.engine.net.IpHeaders;
import static io.culvert.engine.tun.TestPackets.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real TUN/TAP devices, each moved into a namespace of its own and pinged from inside it; the test plays
 * the far end of the link. Needs root and /dev/net/tun.
 */
@Tag("netns")
class LinuxTunInteropTest {
    private static final byte[] LOCAL = {10, (byte) 253, 0, 1};
    private static final byte[] PEER = {10, (byte) 253, 0, 2};
    private static final byte[] PEER_MAC = TestPackets.hex("02005e005302");
    private static final int ICMP = 1;

    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private NetnsSupport ns;
    private TunDevice device;

    @BeforeEach
    void createNamespace() throws IOException {
        NetnsSupport.requireRootOrFailInCi();
        ns = NetnsSupport.create();
    }

    @AfterEach
    void cleanUp() throws IOException {
        watchdog.shutdownNow();
        if (device != null) {
            device.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void tunCarriesPingBothWays() throws Exception {
        device = openInNamespace(false);
        Process ping = ns.start("ping", "-c", "1", "-W", "5", "10.253.0.2");

        byte[] request = readUntil(p -> IpHeaders.isIpv4(p, 0, p.length) && p[9] == ICMP && p[20] == 8
                && IpHeaders.ipv4Destination(p, 0) == 0x0afd0002);
        assertEquals(0x0afd0001, IpHeaders.ipv4Source(request, 0));

        byte[] reply = echoReply(request, 0);
        device.write(reply, 0, reply.length);

        assertPingSucceeded(ping);
    }

    @Test
    void tapCarriesArpAndPing() throws Exception {
        device = openInNamespace(true);
        Process ping = ns.start("ping", "-c", "1", "-W", "5", "10.253.0.2");

        byte[] arp = readUntil(f -> IpHeaders.etherType(f, 0) == IpHeaders.ETHERTYPE_ARP && u16(f, 20) == 1
                && Arrays.equals(f, 38, 42, PEER, 0, 4));
        assertEquals(0xffffffffffffL, IpHeaders.ethernetDestination(arp, 0));
        assertArrayEquals(LOCAL, Arrays.copyOfRange(arp, 28, 32));
        byte[] localMac = Arrays.copyOfRange(arp, 6, 12);
        device.write(arpReply(localMac), 0, 42);

        byte[] request = readUntil(f -> IpHeaders.etherType(f, 0) == IpHeaders.ETHERTYPE_IPV4 && f[14 + 9] == ICMP
                && Arrays.equals(f, 0, 6, PEER_MAC, 0, 6));
        byte[] reply = echoReply(request, 14);
        System.arraycopy(localMac, 0, reply, 0, 6);
        System.arraycopy(PEER_MAC, 0, reply, 6, 6);
        device.write(reply, 0, reply.length);

        assertPingSucceeded(ping);
    }

    @Test
    void closeWakesBlockedReader() throws Exception {
        // Left down, so the kernel sends nothing (no IPv6 router solicitations) and read() really blocks.
        device = LinuxTun.open("cvt" + NetnsSupport.randomSuffix(), false, 0);
        ns.adopt(device.name());
        TunDevice tun = device;
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return tun.read(new byte[2000], 0, 2000);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        assertTrue(!reader.isDone(), "read must block while no packet arrives");

        long start = System.nanoTime();
        tun.close();
        int result = reader.get(1, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(-1, result);
        assertTrue(millis < 200, "reader woke after " + millis + " ms");
        assertThrows(IOException.class, () -> tun.write(new byte[20], 0, 20));
        tun.close();
    }

    @Test
    void bareTypeNameGetsKernelAssignedNameAndRequestedMtu() throws Exception {
        device = LinuxTun.open("tun", false, 1280);
        assertTrue(device.name().matches("tun\\d+"), device.name());
        assertEquals(1280, device.mtu());
        ns.adopt(device.name());

        String link = ns.run("ip", "-n", ns.name, "link", "show", "dev", device.name());

        assertTrue(link.contains("mtu 1280"), link);
    }

    @Test
    void busyNameIsReportedClearly() throws Exception {
        device = LinuxTun.open("cvt" + NetnsSupport.randomSuffix(), false, 0);

        IOException e = assertThrows(IOException.class, () -> LinuxTun.open(device.name(), false, 0));

        assertTrue(e.getMessage().contains("Device or resource busy"), e.getMessage());
        assertNotEquals(-1, e.getMessage().indexOf(device.name()));
    }

    private TunDevice openInNamespace(boolean tap) throws IOException {
        TunDevice opened = LinuxTun.open((tap ? "cvp" : "cvt") + NetnsSupport.randomSuffix(), tap, 1400);
        try {
            ns.adopt(opened.name());
            NetConfig config = ns.netConfig();
            config.setLinkUp(opened.name(), 0);
            config.addAddress(opened.name(), "10.253.0.1/30");
            return opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** Reads until a packet matches; the watchdog closes the device after 10 s so a silent kernel cannot hang us. */
    private byte[] readUntil(Predicate<byte[]> wanted) throws IOException {
        TunDevice tun = device;
        ScheduledFuture<?> timeout = watchdog.schedule(tun::close, 10, TimeUnit.SECONDS);
        try {
            byte[] buf = new byte[2048];
            while (true) {
                int n = tun.read(buf, 0, buf.length);
                if (n < 0) {
                    fail("no matching packet within 10 s on " + tun.name());
                }
                byte[] packet = Arrays.copyOf(buf, n);
                if (wanted.test(packet)) {
                    return packet;
                }
            }
        } finally {
            timeout.cancel(false);
        }
    }

    /** Turns an ICMP echo request at {@code ip} into the matching reply, with both checksums recomputed. */
    private static byte[] echoReply(byte[] request, int ip) {
        byte[] reply = request.clone();
        System.arraycopy(request, ip + 12, reply, ip + 16, 4);
        System.arraycopy(request, ip + 16, reply, ip + 12, 4);
        int ihl = (reply[ip] & 0x0f) * 4;
        int icmp = ip + ihl;
        int icmpLength = u16(reply, ip + 2) - ihl;
        reply[icmp] = 0;
        TestPackets.setShort(reply, icmp + 2, 0);
        TestPackets.setShort(reply, icmp + 2, TestPackets.checksum(reply, icmp, icmpLength, 0));
        TestPackets.setShort(reply, ip + 10, 0);
        TestPackets.setShort(reply, ip + 10, TestPackets.checksum(reply, ip, ihl, 0));
        return reply;
    }

    private static byte[] arpReply(byte[] targetMac) {
        java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(42);
        f.put(targetMac).put(PEER_MAC).putShort((short) IpHeaders.ETHERTYPE_ARP);
        f.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
        f.put(PEER_MAC).put(PEER).put(targetMac).put(LOCAL);
        return f.array();
    }

    private static void assertPingSucceeded(Process ping) throws Exception {
        assertTrue(ping.waitFor(10, TimeUnit.SECONDS), "ping did not finish");
        String output = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, ping.exitValue(), output);
    }
}
