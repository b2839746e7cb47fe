package io.culvert.engine.it;

import io.culvert.engine.api.ServerEdit;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * The app's server manager in a namespace for {@link ServerLifecycleInteropTest}: a {@link LocalServerAdmin} over
 * real tun devices on the data folder args[0], driven by stdin lines and answering with {@code WORD args} lines:
 * {@code restore FILE PASSPHRASE} (RESTORED name), {@code start NAME} (STARTED address), {@code port NAME PORT}
 * (EDITED restarted=… reasons=…, then LISTENING address), {@code clients NAME PING TIMEOUT DNS,…} (keepalive and pushed
 * DNS servers; EDITED …, then LISTENING address), {@code export NAME CN FILE} (EXPORTED file), {@code quit}.
 */
public final class ServerLifecycleProbe {
    private ServerLifecycleProbe() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.KERNEL, InstantSource.system());
        try (LocalServerAdmin admin = LocalServerAdmin.open(engine, Path.of(args[0]), InstantSource.system())) {
            System.out.println("READY");
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "restore" -> System.out.println("RESTORED "
                            + admin.restore(Files.readAllBytes(Path.of(w[1])), w[2].toCharArray(), null).name());
                    case "start" -> System.out.println("STARTED " + admin.start(w[1], e -> { }).listenAddress());
                    case "port" -> {
                        ServerSpec now = admin.servers().stream().filter(s -> s.name().equals(w[1])).findFirst().orElseThrow();
                        ServerEdit edit = admin.edit(now.withPort(Integer.parseInt(w[2])));
                        System.out.println("EDITED restarted=" + edit.restarted() + " reasons=" + edit.reimportReasons());
                        ServerHandle h = admin.running(w[1]).orElseThrow();
                        System.out.println("LISTENING " + h.listenAddress());
                    }
                    case "clients" -> {
                        ServerSpec now = admin.servers().stream().filter(s -> s.name().equals(w[1])).findFirst().orElseThrow();
                        ServerEdit edit = admin.edit(now.withClientSettings(Integer.parseInt(w[2]), Integer.parseInt(w[3]),
                                java.util.List.of(w[4].split(","))));
                        System.out.println("EDITED restarted=" + edit.restarted() + " reasons=" + edit.reimportReasons());
                        System.out.println("LISTENING " + admin.running(w[1]).orElseThrow().listenAddress());
                    }
                    case "export" -> {
                        Files.writeString(Path.of(w[3]), admin.exportProfile(w[1], w[2]));
                        System.out.println("EXPORTED " + w[3]);
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
            }
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
        System.exit(0);
    }
}
