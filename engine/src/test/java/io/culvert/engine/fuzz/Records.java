package io.culvert.engine.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits one fuzz input into several records, each a 2-byte big-endian length and that many bytes (the last one
 * takes what is left), so that stateful targets see a sequence of packets or lines. Stateless.
 */
final class Records {
    private Records() {}

    static List<byte[]> split(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            if (data.length - p < 2) {
                out.add(Arrays.copyOfRange(data, p, data.length));
                break;
            }
            int len = (data[p] & 0xFF) << 8 | data[p + 1] & 0xFF;
            p += 2;
            int end = Math.min(data.length, p + len);
            out.add(Arrays.copyOfRange(data, p, end));
            p = end;
        }
        return out;
    }

    /** The records {@link #split} reads back. */
    static byte[] join(List<byte[]> records) {
        int n = records.stream().mapToInt(r -> r.length + 2).sum();
        byte[] out = new byte[n];
        int p = 0;
        for (byte[] r : records) {
            out[p] = (byte) (r.length >> 8);
            out[p + 1] = (byte) r.length;
            System.arraycopy(r, 0, out, p + 2, r.length);
            p += r.length + 2;
        }
        return out;
    }
}
