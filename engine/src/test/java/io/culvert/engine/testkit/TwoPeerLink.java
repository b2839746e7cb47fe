package io.culvert.engine.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The loop every in-memory two-peer session test runs: two {@link PacketPipe}s (a → b, b → a), a {@link ManualClock}
 * as the only time source, and the peers' timers. {@link #pump} delivers until no packet is in flight; {@link #step}
 * moves the clock, runs both timers and pumps; {@link #runUntil} steps until a condition holds. The session rigs
 * ({@code client.SessionRig}: our client against {@link ScriptedServer}; {@code server.SessionPair}: our client against
 * our server) differ only in their peers. Not thread-safe.
 */
public final class TwoPeerLink {
    /** The clock step of {@link #runUntil}. */
    public static final Duration STEP = Duration.ofMillis(250);

    private final ManualClock clock;
    private final PacketPipe toB;
    private final PacketPipe toA;
    private final Consumer<byte[]> a;
    private final Consumer<byte[]> b;
    private final Runnable ticks;
    private final Runnable eachRound;

    /**
     * {@code a} and {@code b} receive what arrives over {@code toA} and {@code toB}; {@code ticks} runs both peers' timers;
     * {@code eachRound} runs before each delivery round (a peer that queues its output instead of sending it moves it
     * onto its pipe there).
     */
    public TwoPeerLink(ManualClock clock, PacketPipe toA, Consumer<byte[]> a, PacketPipe toB, Consumer<byte[]> b, Runnable ticks,
            Runnable eachRound) {
        this.clock = clock;
        this.toA = toA;
        this.a = a;
        this.toB = toB;
        this.b = b;
        this.ticks = ticks;
        this.eachRound = eachRound;
    }

    /** Delivers packets both ways until no packet is in flight (lost packets wait for a retransmit). */
    public void pump() {
        for (int round = 0; round < 10_000; round++) {
            eachRound.run();
            if (toB.idle() && toA.idle()) {
                return;
            }
            for (byte[] p : toB.drain()) {
                b.accept(p);
            }
            for (byte[] p : toA.drain()) {
                a.accept(p);
            }
        }
        throw new AssertionError("link never went quiet");
    }

    /** Moves the clock by {@code d}, runs both sides' timers and delivers what they send. */
    public void step(Duration d) {
        clock.advance(d);
        ticks.run();
        pump();
    }

    /**
     * Steps the clock by {@link #STEP} until {@code done} holds, {@code stop} holds, or {@code limit} of simulated time
     * has passed; returns whether {@code done} holds.
     */
    public boolean runUntil(BooleanSupplier done, BooleanSupplier stop, Duration limit) {
        long deadline = clock.millis() + limit.toMillis();
        pump();
        while (!done.getAsBoolean()) {
            if (clock.millis() >= deadline || stop.getAsBoolean()) {
                return done.getAsBoolean();
            }
            step(STEP);
        }
        return true;
    }
}
