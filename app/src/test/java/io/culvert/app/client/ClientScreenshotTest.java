package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.common.Theme;
import io.culvert.app.shell.Feature;
import io.culvert.app.shell.MainWindow;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import io.culvert.engine.tun.InMemoryTun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Renders the client face connected to a loopback server with live traffic to a PNG:
 * {@code target/screenshots/client-connected.png}, and into the folder named by {@code -Dculvert.screenshots=DIR}
 * when set (the docs use {@code docs/screenshots}). {@code -Dculvert.screenshots.seconds=N} sets how long traffic
 * flows before the snapshot (default 12).
 */
@ExtendWith(ApplicationExtension.class)
class ClientScreenshotTest {
    private final List<InMemoryTun> devices = new CopyOnWriteArrayList<>();
    private Path dir;
    private AppContext ctx;
    private LoopbackServer server;
    private ClientFeature feature;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("culvert-client-shot");
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system(), devices::add);
        ctx = new AppContext(engine, dir, Executors.newVirtualThreadPerTaskExecutor(),
                LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.system()));
        server = LoopbackServer.start(engine, dir.resolve("server"));
        Theme.LIGHT.apply();
        feature = new ClientFeature(ctx);
        MainWindow window = new MainWindow(List.of(feature, placeholder("servers", "Server manager"),
                placeholder("topology", "Topology")), "client");
        stage.setScene(new Scene(window.root(), 1280, 800));
        stage.setTitle("Culvert");
        stage.show();
    }

    private static Feature placeholder(String id, String title) {
        Label l = new Label(title);
        return new Feature() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String title() {
                return title;
            }

            @Override
            public Node view() {
                return l;
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        feature.shutdown();
        server.close();
        ctx.background().shutdownNow();
        ctx.profiles().close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void rendersTheConnectedView(FxRobot robot) throws Exception {
        Path profile = server.writeProfile("Office.ovpn", "udp", "data-ciphers AES-256-GCM\n");
        robot.interact(() -> feature.importFiles(List.of(profile)));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#import-report-dialog").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#import-report-dialog").query().getScene().getWindow().hide());
        robot.clickOn("#connect");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> "Connected".equals(robot.lookup("#state").queryAs(Label.class).getText()) && devices.size() >= 2);
        int seconds = Integer.getInteger("culvert.screenshots.seconds", 12);
        traffic(devices.get(0), devices.get(1), seconds);
        WaitForAsyncUtils.waitForFxEvents();

        Path out = Path.of("target/screenshots/client-connected.png");
        write(robot, out);
        String docs = System.getProperty("culvert.screenshots");
        if (docs != null && !docs.isBlank()) {
            Files.createDirectories(Path.of(docs));
            Files.copy(out, Path.of(docs, "client-connected.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertTrue(Files.size(out) > 10_000);
        robot.clickOn("#connect");
    }

    /** Down- and upstream UDP through the tunnel with a slowly varying rate; drains both devices' written packets. */
    private static void traffic(InMemoryTun serverDevice, InMemoryTun clientDevice, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int tick = 0;
        while (System.nanoTime() < end) {
            double phase = tick / 20.0;
            int down = (int) Math.round(14 + 6 * Math.sin(phase / 2.3) + 2 * Math.sin(phase * 1.1));
            int up = (int) Math.round(4 + 2 * Math.sin(phase / 1.6 + 1));
            for (int i = 0; i < down; i++) {
                serverDevice.inject(udp("10.8.0.1", "10.8.0.2", 1200));
            }
            for (int i = 0; i < up; i++) {
                clientDevice.inject(udp("10.8.0.2", "10.8.0.1", 1000));
            }
            while (serverDevice.takeWritten(0, TimeUnit.MILLISECONDS) != null) { }
            while (clientDevice.takeWritten(0, TimeUnit.MILLISECONDS) != null) { }
            Thread.sleep(50);
            tick++;
        }
    }

    /** An IPv4/UDP packet of {@code size} bytes with a correct header checksum. */
    static byte[] udp(String src, String dst, int size) {
        byte[] p = new byte[size];
        p[0] = 0x45;
        p[2] = (byte) (size >> 8);
        p[3] = (byte) size;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(ip(src), 0, p, 12, 4);
        System.arraycopy(ip(dst), 0, p, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >> 16);
        sum = ~((sum & 0xffff) + (sum >> 16)) & 0xffff;
        p[10] = (byte) (sum >> 8);
        p[11] = (byte) sum;
        int udpLen = size - 20;
        p[20] = (byte) 0xc3;
        p[21] = 0x50;
        p[22] = 0x13;
        p[23] = (byte) 0x89;
        p[24] = (byte) (udpLen >> 8);
        p[25] = (byte) udpLen;
        return p;
    }

    private static byte[] ip(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    private void write(FxRobot robot, Path out) throws Exception {
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
        int w = (int) shot[0].getWidth();
        int h = (int) shot[0].getHeight();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = shot[0].getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.getArgb(x, y));
            }
        }
        Files.createDirectories(out.getParent());
        ImageIO.write(img, "png", out.toFile());
    }
}
