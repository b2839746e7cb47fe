package io.culvert.engine.warmup;

import io.culvert.engine.common.Span;
import io.culvert.engine.common.Threads;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.tls.ThrowawayIdentity;
import io.culvert.engine.tls.TlsChannel;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the hot code before the first user needs it: at engine start, on one low-priority daemon thread, runs
 * throwaway TLS handshakes between an in-memory client and server (tls-crypt wrapped, RSA and EC keys made on the
 * spot and never stored or logged, keying material exported as for the data channel) and a few thousand packets
 * through a data channel's seal and open, for every AEAD cipher in both formats. No I/O, no sockets, nothing shared with real
 * sessions except the JIT's compiled code. Bounded: at most {@link #BUDGET} of wall time and a fixed number of
 * rounds, a few hundred kilobytes of live memory, and it ends when the first tunnel comes up ({@link #stop()}): from
 * then on real packets compile the path, and the warm-up never runs beside user traffic. It runs in the normal
 * scheduling class: a thread the kernel starves (SCHED_IDLE on a busy machine) holds up the threads that wait for it
 * inside the JVM (global handshakes for deoptimization, safepoints, locks it holds), which held a new tunnel's first
 * packets for 0.2-1.2 s. Off with the system property
 * {@code culvert.warmup=off}. The first {@link #start()} in a JVM starts it, later calls do nothing. Thread-safe.
 */
public final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    /** The system property that turns warm-up off ({@code off}). */
    public static final String PROPERTY = "culvert.warmup";
    /** Wall time after which warm-up stops, finished or not. */
    static final Duration BUDGET = Duration.ofSeconds(30);
    /** Rounds for a server or a long-lived engine: the first few dozen handshakes are where most code gets compiled. */
    public static final int SERVER_ROUNDS = 40;
    /** Rounds for a client process: one real handshake follows, then the packet path matters. */
    public static final int CLIENT_ROUNDS = 4;
    static final int PACKETS_PER_ROUND = 256;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final AtomicBoolean STOPPED = new AtomicBoolean();
    private static final List<DataCipher> CIPHERS = List.of(DataCipher.AES_256_GCM, DataCipher.AES_128_GCM,
            DataCipher.CHACHA20_POLY1305);

    private Warmup() {}

    /**
     * Starts warm-up on a background thread unless it ran already in this JVM or {@code culvert.warmup=off}.
     * Returns at once; the thread is a daemon, so it does not keep the JVM alive, and it ends at {@link #stop()}.
     * Returns the thread, or null when nothing was started.
     */
    public static Thread start(InstantSource clock) {
        return start(clock, SERVER_ROUNDS);
    }

    /** As {@link #start(InstantSource)}, with at most {@code rounds} handshake rounds. */
    public static Thread start(InstantSource clock, int rounds) {
        if ("off".equalsIgnoreCase(System.getProperty(PROPERTY, "")) || !STARTED.compareAndSet(false, true)) {
            return null;
        }
        Thread t = Threads.platform("culvert-warmup").daemon().priority(Thread.MIN_PRIORITY).unstarted(() -> {
            try {
                Instant t0 = clock.instant();
                int done = run(rounds, t0.plus(BUDGET), clock, STOPPED);
                LOG.debug("warm-up: {} handshakes in {} ms", done, Duration.between(t0, clock.instant()).toMillis());
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                LOG.debug("warm-up stopped: {}", e.toString());
            }
        });
        t.start();
        return t;
    }

    /**
     * Runs warm-up in the calling thread, now, whatever {@link #PROPERTY} says: {@code rounds} rounds within
     * {@link #BUDGET}. For {@code culvert warmup}, the training run of the JDK AOT cache that the package ships
     * (it loads, links and profiles the classes of a handshake and of the packet path without root or a network).
     * {@link #stop()} does not end it. Returns the rounds completed.
     */
    public static int runNow(int rounds, InstantSource clock) throws GeneralSecurityException, IOException {
        return run(rounds, clock.instant().plus(BUDGET), clock, new AtomicBoolean());
    }

    /**
     * Ends this JVM's warm-up, if it runs, after the packet or handshake in progress; called when a tunnel comes up
     * (before it is announced), so that user traffic never shares the CPU with it. Returns at once.
     */
    public static void stop() {
        STOPPED.set(true);
    }

    /**
     * Runs up to {@code handshakes} rounds (alternately RSA and EC) ; each round is a full
     * handshake, a key-method-sized record each way, a keying-material export and {@link #PACKETS_PER_ROUND} data
     * packets sealed and opened, until {@code deadline} on {@code clock} or until {@code stop} is set. Returns the rounds
     * completed. Package-private for the test.
     */
    static int run(int handshakes, Instant deadline, InstantSource clock, AtomicBoolean stop)
            throws GeneralSecurityException, IOException {
        ThrowawayIdentity rsa = ThrowawayIdentity.create("RSA", clock);
        ThrowawayIdentity ec = ThrowawayIdentity.create("EC", clock);
        StaticKey tlsCrypt = StaticKey.generate(new SecureRandom());
        byte[] plain = new byte[1400];
        int done = 0;
        while (done < handshakes && clock.instant().isBefore(deadline) && !stop.get()) {
            ThrowawayIdentity id = done % 2 == 0 ? rsa : ec;
            byte[] key2 = handshake(id, tlsCrypt, clock);
            DataCipher cipher = CIPHERS.get(done % CIPHERS.size());
            // Every cipher in both wire formats: 2.6's, then 2.7's epoch format (what Culvert and 2.7 peers choose).
            boolean epoch = done / CIPHERS.size() % 2 == 1;
            if (!packets(cipher, epoch, key2, plain, clock, stop)) {
                break;
            }
            done++;
        }
        return done;
    }

    /** One in-memory handshake through tls-crypt; returns the exported 256-byte data channel key block. */
    private static byte[] handshake(ThrowawayIdentity id, StaticKey tlsCrypt, InstantSource clock) throws GeneralSecurityException, IOException {
        TlsChannel client = TlsChannel.create(id.client());
        TlsChannel server = TlsChannel.create(id.server());
        ControlWrap clientWrap = ControlWrapSpec.tlsCrypt(tlsCrypt).newSession(false, clock);
        ControlWrap serverWrap = ControlWrapSpec.tlsCrypt(tlsCrypt).newSession(true, clock);
        client.start();
        byte[] keyMethod = new byte[300];
        boolean sent = false;
        for (int i = 0; i < 20 && !(client.handshakeDone() && server.handshakeDone() && sent); i++) {
            server.feed(through(clientWrap, serverWrap, client.takeOutgoing()));
            client.feed(through(serverWrap, clientWrap, server.takeOutgoing()));
            if (client.handshakeDone() && !sent) {
                client.write(keyMethod);
                server.feed(through(clientWrap, serverWrap, client.takeOutgoing()));
                server.write(keyMethod);
                client.feed(through(serverWrap, clientWrap, server.takeOutgoing()));
                sent = true;
            }
        }
        if (server.takeRecords().isEmpty() || client.takeRecords().isEmpty()) {
            throw new IOException("warm-up handshake did not complete");
        }
        client.exportKeyingMaterial("EXPORTER-OpenVPN-datakeys", 256);
        return server.exportKeyingMaterial("EXPORTER-OpenVPN-datakeys", 256);
    }

    /** Wraps {@code bytes} as one control packet (opcode and session id left zero) and unwraps it on the other side. */
    private static byte[] through(ControlWrap from, ControlWrap to, byte[] bytes) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] packet = new byte[9 + 1 + 4 + bytes.length]; // header, empty ack array, message id, payload
        System.arraycopy(bytes, 0, packet, 14, bytes.length);
        byte[] wire = from.wrap(packet, 0, packet.length);
        to.unwrap(wire, 0, wire.length).value();
        return bytes;
    }

    /**
     * The data threads' own path: seal in place with the sending half, open in place with the receiving half. Returns
     * false when {@code stop} ended it early.
     */
    private static boolean packets(DataCipher cipher, boolean epoch, byte[] key2, byte[] plain, InstantSource clock,
            AtomicBoolean stop) {
        DataChannel sender = epoch ? DataChannel.createEpoch(cipher, key2, false, clock)
                : DataChannel.create(cipher, "SHA256", key2, false, clock);
        DataChannel receiver = epoch ? DataChannel.createEpoch(cipher, key2, true, clock)
                : DataChannel.create(cipher, "SHA256", key2, true, clock);
        DataChannel.Sealer out = sender.sealer();
        DataChannel.Opener in = receiver.opener();
        DataChannel.Sealer back = receiver.sealer();
        DataChannel.Opener home = sender.opener();
        int headroom = sender.headroom(true);
        byte[] buf = new byte[headroom + plain.length + sender.tailroom()];
        Span payload = new Span();
        for (int i = 0; i < PACKETS_PER_ROUND; i++) {
            if (stop.get()) {
                return false;
            }
            int len = i % 4 == 0 ? 60 : plain.length;
            System.arraycopy(plain, 0, buf, headroom, len);
            int wire = out.seal(0, 1, buf, headroom, len);
            in.open(buf, 0, wire, payload);
            System.arraycopy(plain, 0, buf, headroom, len);
            wire = back.seal(0, 1, buf, headroom, len);
            home.open(buf, 0, wire, payload);
        }
        return true;
    }
}
