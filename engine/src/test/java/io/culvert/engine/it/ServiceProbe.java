package io.culvert.engine.it;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.remote.RemoteEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * A tiny culvertd client run as an unprivileged user by {@link CulvertServiceNetnsTest}: reads a profile from
 * stdin up to a line {@code END}, connects it through the socket given as argument, prints what happens as
 * {@code WORD args} lines, disconnects when stdin says {@code disconnect}. Exit 0 when all went well, 3 when
 * the service refused the caller. With a second argument {@code hold}, it opens connections until the service
 * refuses one ({@code HELD n}, then {@code REFUSED kind message}) and keeps them until stdin ends.
 */
public final class ServiceProbe {
    private ServiceProbe() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (args.length > 1 && args[1].equals("hold")) {
            java.util.List<RemoteEngine> held = new java.util.ArrayList<>();
            try {
                while (held.size() < 64) {
                    held.add(RemoteEngine.connect(Path.of(args[0]), "service-probe", InstantSource.system()));
                }
                System.out.println("HELD " + held.size());
            } catch (EngineException e) {
                System.out.println("HELD " + held.size());
                System.out.println("REFUSED " + e.kind() + " " + e.getMessage());
            }
            System.out.flush();
            while (in.readLine() != null) {
                // hold until stdin ends
            }
            System.exit(0);
            return;
        }
        RemoteEngine engine;
        try {
            engine = RemoteEngine.connect(Path.of(args[0]), "service-probe", InstantSource.system());
        } catch (EngineException e) {
            System.out.println("REFUSED " + e.kind() + " " + e.getMessage());
            System.exit(3);
            return;
        }
        RemoteEngine.Identity id = engine.identity();
        System.out.println("HELLO " + id.user() + " " + id.uid() + " " + id.role());
        StringBuilder profile = new StringBuilder();
        for (String line = in.readLine(); line != null && !line.equals("END"); line = in.readLine()) {
            profile.append(line).append('\n');
        }
        ClientHandle handle = engine.startClient(profile.toString(), null, ServiceProbe::print, prompt -> Optional.empty());
        System.out.println("STARTED");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("disconnect")) {
                break;
            }
        }
        handle.disconnect();
        boolean stopped = handle.awaitStopped(20_000);
        System.out.println("STOPPED " + stopped + " " + handle.state());
        engine.close();
        System.exit(stopped ? 0 : 1);
    }

    private static void print(EngineEvent e) {
        switch (e) {
            case EngineEvent.StateChanged s -> System.out.println("STATE " + s.state() + (s.error() == null ? "" : " " + s.error()));
            case EngineEvent.Connected c -> System.out.println("CONNECTED " + c.info().ipv4() + " " + c.info().device());
            default -> { }
        }
        System.out.flush();
    }
}
