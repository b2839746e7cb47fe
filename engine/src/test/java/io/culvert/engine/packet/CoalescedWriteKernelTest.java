package io.culvert.engine.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.it.ExecResult;
import io.culvert.engine.it.Netns;
import io.culvert.engine.it.NetnsTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coalescer's writes as the kernel takes them: super-segments written to a TUN device with {@code IFF_VNET_HDR}
 * and TSO on are forwarded by the kernel to a TUN device without offloads, which makes it cut them in software and
 * complete every segment's checksum from our pseudo-header sum ({@code forward.py}, in a namespace of its own). What
 * comes out must be the segments that went into the coalescer, one hop further on, with checksums the reference
 * verifies.
 */
@NetnsTest(tools = "python3")
class CoalescedWriteKernelTest {
    private static final byte[] SRC4 = {10, 9, 1, 2};
    private static final byte[] DST4 = {10, 9, 2, 2};
    private static final byte[] SRC6 = HexFormat.of().parseHex("fd000091000000000000000000000002");
    private static final byte[] DST6 = HexFormat.of().parseHex("fd000092000000000000000000000002");

    @Test
    void theKernelCutsOurSuperSegmentsBackIntoTheSegmentsWeMerged(@TempDir Path dir) throws IOException {
        List<byte[]> segments = new ArrayList<>();
        segments.addAll(RefPackets.synthetic(readdressed("kernel-tcp4.hex", SRC4, DST4), 0, 20, 1188, 1_000_000));
        segments.addAll(RefPackets.synthetic(readdressed("kernel-tcp6.hex", SRC6, DST6), 1, 20, 1188, 4_000_000_000L));
        List<String> writes = new ArrayList<>();
        TcpCoalescer coalescer = new TcpCoalescer(false,
                (b, off, len) -> writes.add(HexFormat.of().formatHex(b, off, off + len)), 4, 64, 0);
        // Interleave the two flows, as a burst from two peers would be.
        for (int i = 0; i < 20; i++) {
            coalescer.add(segments.get(i), 0, segments.get(i).length);
            coalescer.add(segments.get(20 + i), 0, segments.get(20 + i).length);
        }
        coalescer.flush();
        assertEquals(2, writes.size(), "one write per flow");
        Files.write(dir.resolve("in.hex"), writes);
        Path script = dir.resolve("forward.py");
        try (InputStream in = getClass().getResourceAsStream("/packet/forward.py")) {
            Files.copy(in, script);
        }

        try (Netns ns = Netns.create("gro")) {
            ExecResult r = ns.exec(Duration.ofSeconds(30), "python3", script.toString(), dir.resolve("in.hex").toString(),
                    dir.resolve("out.hex").toString(), "40");
            assertTrue(r.ok(), r.output());
        }

        List<byte[]> forwarded = Files.readAllLines(dir.resolve("out.hex")).stream().filter(l -> !l.isBlank())
                .map(HexFormat.of()::parseHex).toList();
        assertEquals(40, forwarded.size(), "segments out of the kernel");
        List<byte[]> v4 = forwarded.stream().filter(p -> !RefPackets.ipv6(p, 0)).toList();
        List<byte[]> v6 = forwarded.stream().filter(p -> RefPackets.ipv6(p, 0)).toList();
        for (int i = 0; i < 20; i++) {
            assertForwardedCopy(segments.get(i), v4.get(i));
            assertForwardedCopy(segments.get(20 + i), v6.get(i));
        }
    }

    private static void assertForwardedCopy(byte[] sent, byte[] got) {
        assertTrue(RefPackets.transportValid(got, 0), "TCP checksum completed by the kernel from our partial sum");
        assertTrue(RefPackets.ipHeaderValid(got, 0));
        byte[] back = got.clone();
        int hops = RefPackets.ipv6(got, 0) ? 7 : 8;
        back[hops]++;
        if (!RefPackets.ipv6(got, 0)) {
            RefPackets.setLengths(back, -1);
        }
        assertArrayEquals(sent, back, "the segment we merged, one hop on");
    }

    private static byte[] readdressed(String capture, byte[] src, byte[] dst) {
        byte[] p = RefPackets.capture(capture).getFirst();
        int at = RefPackets.ipv6(p, 0) ? 8 : 12;
        System.arraycopy(src, 0, p, at, src.length);
        System.arraycopy(dst, 0, p, at + src.length, dst.length);
        return p;
    }
}
