package io.culvert.engine.crypto;

import java.time.InstantSource;

/** Rough single-thread throughput of encrypt + decrypt for 1400-byte packets; not a test. */
public final class DataChannelBench {
    private DataChannelBench() {}

    public static void main(String[] args) {
        byte[] payload = new byte[1400];
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        for (DataCipher cipher : new DataCipher[] {DataCipher.AES_256_GCM, DataCipher.CHACHA20_POLY1305, DataCipher.AES_256_CBC}) {
            for (int round = 0; round < 2; round++) {
                DataChannel client = DataChannel.create(cipher, "SHA256", Vectors.sk(), false, InstantSource.system());
                DataChannel server = DataChannel.create(cipher, "SHA256", Vectors.sk(), true, InstantSource.system());
                long start = System.nanoTime();
                for (int i = 0; i < packets; i++) {
                    byte[] wire = client.encrypt(0, 0, payload, 0, payload.length);
                    if (!server.decrypt(wire, 0, wire.length).isOk()) {
                        throw new AssertionError("decrypt failed");
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round == 1) {
                    System.out.printf("%-18s %8.1f MB/s (encrypt+decrypt, %d x %d bytes)%n",
                            cipher.openvpnName(), packets * (double) payload.length / seconds / 1e6, packets, payload.length);
                }
            }
        }
    }
}
