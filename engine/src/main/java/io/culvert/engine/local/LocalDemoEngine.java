package io.culvert.engine.local;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.Demo;
import io.culvert.engine.api.DemoEngine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.common.Threads;
import io.culvert.engine.demo.DemoConfigs;
import io.culvert.engine.demo.DemoPki;
import io.culvert.engine.demo.DemoTraffic;
import io.culvert.engine.tun.InMemoryTun;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the demo network in this process: a {@link LocalEngine} with in-memory devices, the demo server on a free
 * loopback UDP port, the demo clients, and {@link DemoTraffic} on its own thread. Thread-safe.
 */
public final class LocalDemoEngine implements DemoEngine {
    private static final long CONNECT_TIMEOUT_MILLIS = 30_000;
    private final InstantSource clock;

    public LocalDemoEngine(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public Demo startDemo(int clients, EngineListener listener) throws EngineException {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "the demo runs 1 to " + MAX_CLIENTS + " clients, not " + clients);
        }
        Map<String, InMemoryTun> devices = new ConcurrentHashMap<>();
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, clock, t -> devices.put(t.name(), t));
        ServerHandle server = engine.startServer(DemoConfigs.server(freeUdpPort()), Path.of("."), listener);
        List<ClientHandle> handles = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                handles.add(engine.startClient(DemoConfigs.client(i, port(server)), Path.of("."), e -> { }, prompt -> Optional.empty()));
            }
            awaitConnected(handles, devices);
        } catch (EngineException | RuntimeException e) {
            stopAll(handles, server);
            throw e;
        }
        List<DemoTraffic.Peer> peers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ClientHandle h = handles.get(i);
            String device = DemoConfigs.clientDevice(i);
            peers.add(new DemoTraffic.Peer(DemoPki.CLIENTS.get(i), () -> devices.get(device), () -> address(h.connectionInfo())));
        }
        DemoTraffic traffic = new DemoTraffic(devices.get(DemoConfigs.SERVER_DEVICE), peers);
        Thread trafficThread = Threads.platform("culvert-demo-traffic").daemon().start(traffic);
        List<String> names = List.copyOf(DemoPki.CLIENTS.subList(0, clients));
        return new Demo() {
            @Override
            public ServerHandle server() {
                return server;
            }

            @Override
            public List<String> clientNames() {
                return names;
            }

            @Override
            public void storm(boolean on) {
                traffic.storm(on);
            }

            @Override
            public void stop() {
                traffic.stop();
                try {
                    trafficThread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopAll(handles, server);
            }
        };
    }

    private static void awaitConnected(List<ClientHandle> handles, Map<String, InMemoryTun> devices) throws EngineException {
        for (int i = 0; i < handles.size(); i++) {
            String device = DemoConfigs.clientDevice(i);
            try {
                for (int waited = 0; handles.get(i).connectionInfo() == null || !devices.containsKey(device); waited += 20) {
                    if (waited > CONNECT_TIMEOUT_MILLIS) {
                        throw new EngineException(ErrorKind.HANDSHAKE_TIMEOUT, "demo client " + DemoPki.CLIENTS.get(i)
                                + " did not connect; state " + handles.get(i).state());
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(ErrorKind.INTERNAL, "interrupted while the demo clients connected", e);
            }
        }
    }

    private static void stopAll(List<ClientHandle> handles, ServerHandle server) {
        handles.forEach(ClientHandle::disconnect);
        try {
            for (ClientHandle h : handles) {
                h.awaitStopped(3000);
            }
            server.stop();
            server.awaitStopped(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String address(ConnectionInfo info) {
        if (info == null || info.ipv4() == null) {
            return null;
        }
        int slash = info.ipv4().indexOf('/');
        return slash < 0 ? info.ipv4() : info.ipv4().substring(0, slash);
    }

    private static int port(ServerHandle server) {
        String a = server.listenAddress();
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1, a.lastIndexOf('/')));
    }

    private static int freeUdpPort() throws EngineException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new EngineException(ErrorKind.INTERNAL, "no free loopback UDP port for the demo", e);
        }
    }
}
