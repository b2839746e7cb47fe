package io.culvert.engine.tun;

import java.util.concurrent.TimeUnit;

/**
 * Throwaway measurement, not a test: how many 1400-byte packets per second {@link TunDevice#write} pushes
 * into a TUN device in a private namespace. The packets go to an off-link address with forwarding off, so
 * the kernel drops them right after routing and the number is mostly the FFM call plus tun_get_user cost.
 * Run as root: {@code java -cp <test classpath> io.culvert.engine.tun.TunWriteBench [seconds]}.
 */
public final class TunWriteBench {
    private TunWriteBench() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        try (NetnsSupport ns = NetnsSupport.create();
                TunDevice tun = LinuxTun.open("cvb" + NetnsSupport.randomSuffix(), false, 1500)) {
            ns.adopt(tun.name());
            NetConfig config = ns.netConfig();
            config.setLinkUp(tun.name(), 0);
            config.addAddress(tun.name(), "10.253.1.1/30");

            byte[] packet = udpPacket(1400);
            run(tun, packet, 0.5);
            double pps = run(tun, packet, seconds);
            System.out.printf("%s: %.0f packets/s of %d bytes = %.2f Gbit/s (%.0f ns per write)%n",
                    tun.name(), pps, packet.length, pps * packet.length * 8 / 1e9, 1e9 / pps);
        }
    }

    private static double run(TunDevice tun, byte[] packet, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        while (true) {
            for (int i = 0; i < 1000; i++) {
                tun.write(packet, 0, packet.length);
            }
            count += 1000;
            long now = System.nanoTime();
            if (now >= deadline) {
                return count / (double) (now - start) * TimeUnit.SECONDS.toNanos(1);
            }
        }
    }

    /** IPv4/UDP 10.253.1.2:40000 -> 198.51.100.1:9 with a valid header checksum (UDP checksum 0: none). */
    private static byte[] udpPacket(int length) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        TestPackets.setShort(p, 2, length);
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(new byte[] {10, (byte) 253, 1, 2}, 0, p, 12, 4);
        System.arraycopy(new byte[] {(byte) 198, 51, 100, 1}, 0, p, 16, 4);
        TestPackets.setShort(p, 10, TestPackets.checksum(p, 0, 20, 0));
        TestPackets.setShort(p, 20, 40000);
        TestPackets.setShort(p, 22, 9);
        TestPackets.setShort(p, 24, length - 20);
        return p;
    }
}
