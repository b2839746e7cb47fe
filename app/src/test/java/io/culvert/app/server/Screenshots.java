package io.culvert.app.server;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.testfx.util.WaitForAsyncUtils;

/** Renders a scene to {@code docs/screenshots/NAME} at the repository root. */
final class Screenshots {
    private Screenshots() {}

    static Path save(Scene scene, String name) throws IOException, InterruptedException, ExecutionException {
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get();
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), IntBuffer.wrap(argb), w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        Path root = Path.of("").toAbsolutePath();
        if (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent(); // surefire runs in app/
        }
        Path file = root.resolve("docs").resolve("screenshots").resolve(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(out, "png", file.toFile());
        return file;
    }
}
