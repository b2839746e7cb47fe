package io.culvert.app.topology;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.FlowEdge.Kind;
import io.culvert.engine.api.InstanceInfo;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Frame-time benchmark of the topology graph: {@code TopologyBenchmark [instances] [seconds] [last-frame.png]} (default
 * 500, 20)
 * renders the live graph of {@code instances} synthetic instances (unicast both ways for all, ~instances/2
 * client-to-client pairs, four broadcasters fanning out to everyone, one of them storming) whose counters advance
 * every second (a new snapshot, as the poller delivers), and prints the mean / p50 / p99 / max time of the canvas
 * redraw per frame on the FX thread, the time to apply a snapshot, and the achieved frame interval (which includes
 * rasterising on the render thread), and the CPU time per frame of the FX thread and the render thread together
 * (what a frame costs on an idle core, apart for frames that redraw only what moves and frames that also redraw the
 * base). Draws as the view does, on a base canvas redrawn when it changed and a moving
 * layer above it; {@code -Dtopology.layers=false} draws everything on one canvas every frame, as before ADR 0030.
 * Not a test: run it by hand, under Monocle headless or a real display; see ADR 0030 for the command line.
 */
public final class TopologyBenchmark {
    private TopologyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        CompletableFuture<Void> up = new CompletableFuture<>();
        Platform.startup(() -> up.complete(null));
        up.get(10, TimeUnit.SECONDS);
        CompletableFuture<String> result = new CompletableFuture<>();
        String png = args.length > 2 ? args[2] : null;
        Platform.runLater(() -> run(instances, seconds, png, result));
        System.out.println(result.get(seconds + 60L, TimeUnit.SECONDS));
        Platform.exit();
        System.exit(0);
    }

    private static void run(int instances, int seconds, String png, CompletableFuture<String> result) {
        Synthetic data = new Synthetic(instances);
        TopologyModel model = new TopologyModel();
        boolean layers = !"false".equals(System.getProperty("topology.layers"));
        Canvas base = new Canvas(1600, 1000);
        Canvas canvas = new Canvas(1600, 1000);
        Stage stage = new Stage();
        stage.setScene(new Scene(layers ? new Pane(base, canvas) : new Pane(canvas), 1600, 1000));
        int[] baseRedraws = new int[1];
        stage.show();
        TopologyRenderer renderer = new TopologyRenderer(Messages.of("topology"));
        Camera camera = new Camera();
        long[] redraw = new long[seconds * 240];
        long[] interval = new long[seconds * 240];
        long[] cost = new long[seconds * 240];
        long[] costBase = new long[seconds * 240];
        int[] costBaseCount = new int[1];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long fxThread = Thread.currentThread().threadId();
        List<Long> applies = new ArrayList<>();
        model.apply(data.next(System.nanoTime()));
        new AnimationTimer() {
            private final long start = System.nanoTime();
            private long lastSnapshot = start;
            private long lastFrame;
            private int frames;
            private int warm;
            private final Map<String, Long> cpuAtStart = new TreeMap<>();
            private long renderThread = -1;
            private long lastCpu;
            private boolean lastRedrew;

            @Override
            public void handle(long now) {
                // CPU of the FX thread and the render thread since the previous pulse: the previous frame's cost,
                // its drawing and its rasterising (Quantum renders a pulse before the next one starts).
                if (renderThread < 0) {
                    renderThread = threadId("QuantumRenderer-0");
                }
                long cpuNow = mx.getThreadCpuTime(fxThread) + (renderThread < 0 ? 0 : mx.getThreadCpuTime(renderThread));
                if (frames > 1 && frames - 1 < cost.length) {
                    if (lastRedrew) {
                        costBase[costBaseCount[0]++] = cpuNow - lastCpu;
                    } else {
                        cost[frames - 1 - costBaseCount[0]] = cpuNow - lastCpu;
                    }
                }
                lastCpu = cpuNow;
                long t0 = System.nanoTime();
                if (t0 - lastSnapshot >= 1_000_000_000L) {
                    long poller = mx.getCurrentThreadCpuTime();
                    TopologySnapshot snapshot = data.next(t0); // what the poller delivers; not the view's cost
                    lastCpu += mx.getCurrentThreadCpuTime() - poller;
                    long a0 = System.nanoTime();
                    model.apply(snapshot);
                    lastSnapshot = t0;
                    if (frames > 0) {
                        applies.add(System.nanoTime() - a0);
                    }
                }
                long t1 = System.nanoTime();
                if (model.prune(now)) {
                    renderer.invalidate();
                }
                if (!camera.userMoved()) {
                    camera.fit(-SlotLayout.FIRST_RADIUS - 5 * SlotLayout.RING_STEP, -SlotLayout.FIRST_RADIUS - 5 * SlotLayout.RING_STEP,
                            SlotLayout.FIRST_RADIUS + 5 * SlotLayout.RING_STEP, SlotLayout.FIRST_RADIUS + 5 * SlotLayout.RING_STEP,
                            canvas.getWidth(), canvas.getHeight(), 60, 1.4);
                }
                boolean redrew = true;
                if (layers) {
                    redrew = renderer.renderLayers(base.getGraphicsContext2D(), canvas.getGraphicsContext2D(), canvas.getWidth(),
                            canvas.getHeight(), model, camera, now, TopologyRenderer.NOTHING, TopologyRenderer.NOTHING);
                } else {
                    renderer.render(canvas.getGraphicsContext2D(), canvas.getWidth(), canvas.getHeight(), model, camera, now,
                            TopologyRenderer.NOTHING, TopologyRenderer.NOTHING);
                }
                long took = System.nanoTime() - t1;
                warm++;
                if (frames < redraw.length && warm > 60 && t0 - start > 3_000_000_000L) { // after 60 frames and 3 s of warm-up
                    if (redrew) {
                        baseRedraws[0]++;
                    }
                    lastRedrew = redrew;
                    if (frames == 0) {
                        cpuAtStart.putAll(threadCpu());
                    }
                    redraw[frames] = took;
                    interval[frames] = lastFrame == 0 ? 0 : now - lastFrame;
                    frames++;
                }
                lastFrame = now;
                if (frames > 0 && t0 - start > (seconds + 3) * 1_000_000_000L || frames == redraw.length) {
                    stop();
                    Map<String, Long> cpu = threadCpu();
                    if (png != null) {
                        writePng(stage.getScene().getRoot().snapshot(null, null), png);
                    }
                    stage.close();
                    StringBuilder perThread = new StringBuilder();
                    cpu.forEach((name, nanos) -> {
                        double ms = (nanos - cpuAtStart.getOrDefault(name, 0L)) / 1e6 / Math.max(frames, 1);
                        if (ms >= 0.05) {
                            perThread.append(String.format(Locale.ROOT, "%n    %-34s %.2f ms CPU per frame", name, ms));
                        }
                    });
                    result.complete(report(instances, model, Arrays.copyOf(redraw, frames), Arrays.copyOfRange(interval, 1, Math.max(frames, 1)),
                            applies) + String.format(Locale.ROOT, "%n  layers: %s, base redrawn in %d of %d frames",
                                    layers ? "base + moving" : "one canvas", baseRedraws[0], frames)
                            + frameCost(cpuAtStart, cpu, frames)
                            + perFrame(Arrays.copyOf(cost, Math.max(0, frames - 2 - costBaseCount[0])),
                                    Arrays.copyOf(costBase, costBaseCount[0])) + "\n  CPU time per frame by thread (independent of other load on the machine):" + perThread);
                }
            }
        }.start();
    }

    private static String perFrame(long[] moving, long[] base) {
        Arrays.sort(moving);
        Arrays.sort(base);
        return String.format(Locale.ROOT, """

                  CPU per frame, FX + render thread (load-independent; the figure for a frame on an idle core):
                    frames that redraw only what moves: mean %.2f ms, p50 %.2f ms, p99 %.2f ms over %d frames
                    frames that also redraw the base:   mean %.2f ms, p50 %.2f ms, max %.2f ms over %d frames""",
                mean(moving), pct(moving, 50), pct(moving, 99), moving.length, mean(base), pct(base, 50), pct(base, 100),
                base.length);
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.threadId();
            }
        }
        return -1;
    }

    /** The CPU a frame costs on the FX thread and the render thread together: what a frame takes on an idle machine. */
    private static String frameCost(Map<String, Long> before, Map<String, Long> after, int frames) {
        double ms = 0;
        for (String thread : List.of("JavaFX Application Thread", "QuantumRenderer-0")) {
            ms += (after.getOrDefault(thread, 0L) - before.getOrDefault(thread, 0L)) / 1e6 / Math.max(frames, 1);
        }
        return String.format(Locale.ROOT, "%n  frame cost (CPU, FX thread + render thread): %.2f ms per frame", ms);
    }

    private static String report(int instances, TopologyModel model, long[] redraw, long[] interval, List<Long> applies) {
        Arrays.sort(redraw);
        Arrays.sort(interval);
        long[] apply = applies.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, """
                topology benchmark: %d instances, %d edges (%d client-to-client, %d broadcasters, %d storming), prism %s, load average %.1f on %d cores
                  canvas redraw per frame (FX thread): mean %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d frames
                  frame interval (incl. rasterising):  mean %.2f ms (%.1f fps), p99 %.2f ms
                  snapshot apply (once a second):      mean %.2f ms, max %.2f ms""",
                instances, model.rates().size(), model.clientToClient().size(), model.fanOuts().size(), model.storms().size(),
                System.getProperty("prism.order", "default"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(),
                mean(redraw), pct(redraw, 50), pct(redraw, 99), pct(redraw, 100), redraw.length,
                mean(interval), 1000 / mean(interval), pct(interval, 99), mean(apply), pct(apply, 100));
    }

    private static void writePng(WritableImage image, String file) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        try {
            ImageIO.write(out, "png", new File(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time so far of every live thread, by name (threads of the same name summed). */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    cpu.merge(info.getThreadName(), t, Long::sum);
                }
            }
        }
        return cpu;
    }

    private static double mean(long[] v) {
        return v.length == 0 ? 0 : Arrays.stream(v).average().orElse(0) / 1e6;
    }

    private static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** Synthetic server counters that advance with every snapshot. */
    static final class Synthetic {
        private final int n;
        private final long[] up;
        private final long[] down;
        private final long[] c2c;
        private final long[] broadcast = new long[4];
        private final SplittableRandom random = new SplittableRandom(42);

        Synthetic(int n) {
            this.n = n;
            up = new long[n];
            down = new long[n];
            c2c = new long[n];
        }

        TopologySnapshot next(long nanos) {
            List<InstanceInfo> infos = new ArrayList<>(n);
            List<FlowEdge> flows = new ArrayList<>(n * 8);
            for (int i = 0; i < n; i++) {
                up[i] += random.nextInt(200, 200_000);
                down[i] += random.nextInt(200, 800_000);
                infos.add(InstanceInfo.builder(i, "client-" + i).realAddress("198.51.100." + i % 250 + ":" + (30000 + i))
                        .virtualAddresses(List.of("10.8." + i / 250 + "." + (i % 250 + 2))).cipher("AES-256-GCM")
                        .connectedSince(Instant.EPOCH).bytes(up[i], down[i]).build());
                flows.add(new FlowEdge(i, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, up[i] / 500, up[i]));
                flows.add(new FlowEdge(FlowEdge.SERVER, i, Kind.UNICAST_VIA_SERVER, down[i] / 900, down[i]));
                if (i % 2 == 0) {
                    c2c[i] += random.nextInt(100, 90_000);
                    flows.add(new FlowEdge(i, (i * 7 + 13) % n, Kind.CLIENT_TO_CLIENT, c2c[i] / 400, c2c[i]));
                }
            }
            for (int b = 0; b < broadcast.length; b++) {
                broadcast[b] += b == 0 ? 400 : 2; // sender 0 storms at 400 broadcasts a second
                int sender = b * (n / 4);
                for (int r = 0; r < n; r++) {
                    if (r != sender) {
                        flows.add(new FlowEdge(sender, r, Kind.BROADCAST, broadcast[b], broadcast[b] * 200));
                    }
                }
            }
            return new TopologySnapshot(nanos, "203.0.113.1:1194/udp", infos, flows);
        }
    }
}
