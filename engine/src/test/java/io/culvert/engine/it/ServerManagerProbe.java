package io.culvert.engine.it;

import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.remote.RemoteEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

/**
 * The app's server manager in miniature, run as a non-root admin by {@link CulvertServiceNetnsTest}: over culvertd
 * (socket in args[0]) it creates server "office" in its own data folder (args[1], 0700), listening on args[2]
 * port args[3] (network 10.79.0.0/24), issues "alice" with the static address 10.79.0.50 and writes her profile to
 * {@code <data>/alice.ovpn}, starts the server and prints {@code WORD args} lines; stdin {@code revoke NAME} revokes,
 * {@code routes NAME CIDR} gives the client (keeping 10.79.0.50) that pushed route as the manager's client dialog does,
 * {@code stop} stops. Exit 0 when all went well.
 */
public final class ServerManagerProbe {
    private ServerManagerProbe() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Path data = Path.of(args[1]);
        try (RemoteEngine engine = RemoteEngine.connect(Path.of(args[0]), "server-manager-probe", InstantSource.system());
                LocalServerAdmin admin = LocalServerAdmin.open(engine, data, InstantSource.system())) {
            RemoteEngine.Identity id = engine.identity();
            System.out.println("HELLO " + id.user() + " " + id.uid() + " " + id.role());
            admin.create(ServerSpec.builder("office", args[2]).network("10.79.0.0", "255.255.255.0")
                    .port(Integer.parseInt(args[3])).bindAddress(args[2]).build());
            admin.issueClient("office", "alice");
            admin.setClientNetwork("office", "alice", new ClientNetwork("10.79.0.50", List.of(), List.of()));
            Files.writeString(data.resolve("alice.ovpn"), admin.exportProfile("office", "alice"));
            ServerHandle server = admin.start("office", ServerManagerProbe::print);
            System.out.println("STARTED " + server.listenAddress());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("revoke ")) {
                    String cn = line.substring("revoke ".length());
                    System.out.println("REVOKED " + cn + " " + admin.revoke("office", cn).revoked());
                } else if (line.startsWith("routes ")) {
                    String[] w = line.split(" ");
                    admin.setClientNetwork("office", w[1], new ClientNetwork("10.79.0.50", List.of(), List.of(w[2])));
                    System.out.println("ROUTES " + w[1]);
                } else if (line.equals("stop")) {
                    admin.stop("office");
                    System.out.println("STOPPED " + server.awaitStopped(10_000));
                    break;
                }
            }
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void print(EngineEvent e) {
        if (e instanceof EngineEvent.Instance i) {
            System.out.println("INSTANCE " + i.change() + " " + i.info().commonName() + " " + i.detail());
        }
        System.out.flush();
    }
}
