package io.culvert.app.topology;

import io.culvert.app.AppContext;
import io.culvert.app.common.Theme;
import io.culvert.engine.local.LocalEngine;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Renders the topology view with the live demo to a PNG: {@code TopologyScreenshot [out.png] [--storm]}. Runs under
 * Monocle headless or a real (X) display; see docs for the command line.
 */
public final class TopologyScreenshot {
    private TopologyScreenshot() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots/topology.png");
        boolean storm = args.length > 1 && args[1].equals("--storm");
        CompletableFuture<Void> up = new CompletableFuture<>();
        Platform.startup(() -> up.complete(null));
        up.get(10, TimeUnit.SECONDS);
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        AppContext ctx = new AppContext(new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system()), Path.of("target"), background);
        TopologyFeature feature = fx(() -> {
            Theme.LIGHT.apply();
            TopologyFeature f = new TopologyFeature(ctx, 1000);
            Stage stage = new Stage();
            stage.setScene(new Scene((Parent) f.view(), 1440, 880));
            stage.show();
            f.startDemo();
            return f;
        });
        TopologyModel model = feature.viewModel().model();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (fx(model::presentCount) < 6) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("demo did not come up");
            }
            Thread.sleep(100);
        }
        if (storm) {
            fx(() -> {
                feature.viewModel().stormProperty().set(true);
                return null;
            });
        }
        Thread.sleep(4500);
        fx(() -> {
            model.nodes().stream().filter(n -> n.info().commonName().equals("carol")).findFirst()
                    .ifPresent(n -> feature.viewModel().selectedProperty().set(n.peerId()));
            return null;
        });
        Thread.sleep(1700);
        WritableImage image = fx(() -> feature.view().getScene().snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        png.setRGB(0, 0, w, h, argb, 0, w);
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(png, "png", out.toFile());
        System.out.println("wrote " + out + " (" + w + "x" + h + ")");
        fx(() -> {
            feature.shutdown();
            return null;
        });
        Platform.exit();
        System.exit(0);
    }

    static <T> T fx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }
}
