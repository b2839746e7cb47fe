package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PUSH_UPDATE (OpenVPN 2.7) in both roles, against stock 2.7.6: a stock server's management command
 * {@code push-update-cid} gives a connected Culvert client a new route (it appears in the client's namespace and
 * carries traffic to a host behind it) and {@code push-update-broad "-route"} takes it away again; and the same
 * commands on Culvert's own management interface give a connected stock 2.7 client the route. An update with
 * {@code ifconfig} moves a client to another address, in both roles: its tun has the new address and the server
 * routes it.
 */
@Openvpn27Test
@ControlPlaneOnly
class PushUpdateInteropTest {
    private static final String NET = "10.78.0.0/24";
    private static final String HOST = "10.78.0.1";
    private static final String ROUTE = "route 10.78.0.0 255.255.255.0";
    private static final Duration T = Duration.ofSeconds(20);
    private static final Duration SOCKET = Duration.ofSeconds(30);
    private static final String MOVED_ADDR = "10.77.0.50";
    private static final String MOVED = MOVED_ADDR + "/24";

    @Test
    void stock27ServerUpdatesCulvertClient(@TempDir Path dir) throws IOException {
        Path sock = dir.resolve("srv27.sock");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "disable-dco\n", "")) {
            rig.server().stop();
            Path conf = dir.resolve("server27.conf");
            Files.writeString(conf, Files.readString(rig.serverConfig()) + "management " + sock + " unix\n");
            try (OpenvpnProcess server = OpenvpnProcess.command(rig.serverNs(), dir, dir.resolve("server27.log"),
                    StockOpenvpn.openvpn27().toString(), "--cd", dir.toString(), "--config", conf.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                rig.serverNs().exec(T, "ip", "addr", "add", HOST + "/32", "dev", "lo").orThrow("host behind the route");
                OpenvpnProcess client = rig.startCulvertClient();
                Supplier<String> why = () -> "\nculvert client log:\n" + client.logTail(30) + "\nstock 2.7 server log:\n"
                        + server.logTail(30);
                assertTrue(rig.pingServer(3).noLoss(), why);
                assertTrue(routes(rig.clientNs()).lines().noneMatch(l -> l.startsWith(NET + " ")), "precondition: no route yet");
                try (ManagementClient m = ManagementClient.unix(sock, SOCKET)) {
                    m.nextLine(); // greeting
                    String cid = clientId(m);
                    assertEquals(List.of("SUCCESS: 1 client(s) updated", "SUCCESS: push-update command succeeded"),
                            answer(m, "push-update-cid " + cid + " \"" + ROUTE + "\""), why);
                    awaitRoute(rig.clientNs(), true, why);
                    assertTrue(routeGet(rig.clientNs(), HOST).contains("dev tun0"), why);
                    assertTrue(rig.clientNs().ping(HOST, 3).noLoss(), () -> "no traffic through the updated route" + why.get());
                    assertTrue(client.log().contains("PUSH_UPDATE applied"), why);

                    assertEquals("SUCCESS: 1 client(s) updated", answer(m, "push-update-broad \"-route\"").getFirst(), why);
                    awaitRoute(rig.clientNs(), false, why);
                    assertTrue(rig.pingServer(3).noLoss(), () -> "tunnel must stay up after the update" + why.get());
                }
                printUpdates("culvert client", client);
                client.stop();
                assertEquals(0, client.process().exitValue(), why);
            }
        }
    }

    @Test
    void culvertServerUpdatesStock27Client(@TempDir Path dir) throws IOException {
        Path sock = dir.resolve("csrv.sock");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            rig.server().stop();
            Path conf = dir.resolve("culvert-server.conf");
            Files.writeString(conf, Files.readString(rig.serverConfig()) + "management " + sock + " unix\n");
            try (OpenvpnProcess server = OpenvpnProcess.command(rig.serverNs(), dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", conf.toString())
                    .awaitInitialized(Duration.ofSeconds(60));
                    OpenvpnProcess client = OpenvpnProcess.command(rig.clientNs(), dir, dir.resolve("client27.log"),
                            StockOpenvpn.openvpn27().toString(), "--cd", dir.toString(), "--config",
                            rig.clientConfig().toString(), "--disable-dco").awaitInitialized(InteropRig.STARTUP)) {
                rig.serverNs().exec(T, "ip", "addr", "add", HOST + "/32", "dev", "lo").orThrow("host behind the route");
                Supplier<String> why = () -> "\nstock 2.7 client log:\n" + client.logTail(30) + "\nculvert server log:\n"
                        + server.logTail(30);
                assertTrue(rig.pingServer(3).noLoss(), why);
                try (ManagementClient m = ManagementClient.unix(sock, SOCKET)) {
                    m.nextLine(); // greeting
                    String cid = clientId(m);
                    assertEquals(List.of("SUCCESS: 1 client(s) updated", "SUCCESS: push-update command succeeded"),
                            answer(m, "push-update-cid " + cid + " \"" + ROUTE + "\""), why);
                    awaitRoute(rig.clientNs(), true, why);
                    assertTrue(routeGet(rig.clientNs(), HOST).contains("dev tun0"), why);
                    assertTrue(rig.clientNs().ping(HOST, 3).noLoss(), () -> "no traffic through the updated route" + why.get());

                    assertEquals("ERROR: no client updated", answer(m, "push-update-cid 4711 \"" + ROUTE + "\"").getFirst());
                    assertTrue(answer(m, "push-update-broad \"cipher AES-128-GCM\"").getFirst().contains("not an option"), why);
                    assertEquals("SUCCESS: 1 client(s) updated", answer(m, "push-update-broad \"-route\"").getFirst(), why);
                    awaitRoute(rig.clientNs(), false, why);
                }
                printUpdates("stock 2.7 client", client);
                printUpdates("culvert server", server);
                assertTrue(server.isAlive(), why);
            }
        }
    }

    /**
     * Stock 2.7 server, {@code push-update-cid CID "ifconfig …"}: the Culvert client's tun takes the new address (the
     * old one is gone) and a ping to the server's tunnel address from the new address gets through, so the stock
     * server routes the new address to it.
     */
    @Test
    void stock27ServerMovesCulvertClient(@TempDir Path dir) throws IOException {
        Path sock = dir.resolve("srv27.sock");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "disable-dco\n", "")) {
            rig.server().stop();
            Path conf = dir.resolve("server27.conf");
            Files.writeString(conf, Files.readString(rig.serverConfig()) + "management " + sock + " unix\n");
            try (OpenvpnProcess server = OpenvpnProcess.command(rig.serverNs(), dir, dir.resolve("server27.log"),
                    StockOpenvpn.openvpn27().toString(), "--cd", dir.toString(), "--config", conf.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                OpenvpnProcess client = rig.startCulvertClient();
                Supplier<String> why = () -> "\nculvert client log:\n" + client.logTail(30) + "\nstock 2.7 server log:\n"
                        + server.logTail(30);
                assertTrue(rig.pingServer(3).noLoss(), why);
                String before = tunAddress(rig.clientNs());
                assertTrue(!before.equals(MOVED), "precondition: not at " + MOVED + " yet" + why.get());
                try (ManagementClient m = ManagementClient.unix(sock, SOCKET)) {
                    m.nextLine(); // greeting
                    String cid = clientId(m);
                    assertEquals(List.of("SUCCESS: 1 client(s) updated", "SUCCESS: push-update command succeeded"),
                            answer(m, "push-update-cid " + cid + " \"ifconfig " + MOVED_ADDR + " 255.255.255.0\""), why);
                }
                awaitTunAddress(rig.clientNs(), MOVED, why);
                assertTrue(rig.clientNs().ping(Scenario.SERVER_TUNNEL_ADDR, 3, "-I", MOVED_ADDR).noLoss(),
                        () -> "no ping from the new address" + why.get());
                assertTrue(client.log().contains("tunnel address now " + MOVED), why);
                printUpdates("culvert client", client);
                client.stop();
                assertEquals(0, client.process().exitValue(), why);
            }
        }
    }

    /**
     * Culvert server, {@code push-update-cid CID "ifconfig …"}: the stock 2.7 client reopens its tun with the new
     * address, and a ping to the server's tunnel address from it gets through, so our server routes the new address
     * to that client.
     */
    @Test
    void culvertServerMovesStock27Client(@TempDir Path dir) throws IOException {
        Path sock = dir.resolve("csrv.sock");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            rig.server().stop();
            Path conf = dir.resolve("culvert-server.conf");
            Files.writeString(conf, Files.readString(rig.serverConfig()) + "management " + sock + " unix\n");
            try (OpenvpnProcess server = OpenvpnProcess.command(rig.serverNs(), dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", conf.toString())
                    .awaitInitialized(Duration.ofSeconds(60));
                    OpenvpnProcess client = OpenvpnProcess.command(rig.clientNs(), dir, dir.resolve("client27.log"),
                            StockOpenvpn.openvpn27().toString(), "--cd", dir.toString(), "--config",
                            rig.clientConfig().toString(), "--disable-dco").awaitInitialized(InteropRig.STARTUP)) {
                Supplier<String> why = () -> "\nstock 2.7 client log:\n" + client.logTail(30) + "\nculvert server log:\n"
                        + server.logTail(30);
                assertTrue(rig.pingServer(3).noLoss(), why);
                try (ManagementClient m = ManagementClient.unix(sock, SOCKET)) {
                    m.nextLine(); // greeting
                    String cid = clientId(m);
                    assertEquals(List.of("SUCCESS: 1 client(s) updated", "SUCCESS: push-update command succeeded"),
                            answer(m, "push-update-cid " + cid + " \"ifconfig " + MOVED_ADDR + " 255.255.255.0\""), why);
                    awaitTunAddress(rig.clientNs(), MOVED, why);
                    assertTrue(rig.clientNs().ping(Scenario.SERVER_TUNNEL_ADDR, 3, "-I", MOVED_ADDR).noLoss(),
                            () -> "no ping from the new address" + why.get());
                    assertTrue(m.multi("status 2").stream().anyMatch(l -> l.startsWith("CLIENT_LIST,") && l.contains("," + MOVED_ADDR + ",")),
                            () -> "the server's status lists the new address" + why.get());
                }
                printUpdates("stock 2.7 client", client);
                printUpdates("culvert server", server);
                assertTrue(server.isAlive(), why);
            }
        }
    }

    /** The IPv4 address with prefix on the namespace's tun0 ({@code 10.77.0.2/24}), or "" when it has none. */
    private static String tunAddress(Netns ns) {
        String out = ns.exec(T, "ip", "-4", "-o", "addr", "show", "dev", "tun0").output();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("inet (\\S+)").matcher(out);
        return m.find() ? m.group(1) : "";
    }

    private static void awaitTunAddress(Netns ns, String cidr, Supplier<String> why) {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            if (tunAddress(ns).equals(cidr)) {
                return;
            }
            Pause.millis(200);
        }
        throw new AssertionError("tun0 never got " + cidr + ": " + ns.exec(T, "ip", "addr", "show", "dev", "tun0").output()
                + why.get());
    }

    /** The CID of the one client in {@code status 2} (CLIENT_LIST's eleventh field, as 2.6 and 2.7 print it). */
    private static String clientId(ManagementClient m) {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            for (String l : m.multi("status 2")) {
                String[] f = l.split(",", -1);
                if (f[0].equals("CLIENT_LIST") && f.length > 10 && !f[1].equals("UNDEF")) {
                    return f[10];
                }
            }
            Pause.millis(200);
        }
        throw new AssertionError("no client in status 2");
    }

    /** Sends a push-update command; returns its two answer lines. */
    private static List<String> answer(ManagementClient m, String command) {
        String first = m.single(command);
        return List.of(first, m.nextLine());
    }

    private static void awaitRoute(Netns ns, boolean present, Supplier<String> why) {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            boolean there = routes(ns).lines().anyMatch(l -> l.startsWith(NET + " ") && l.contains("dev tun0"));
            if (there == present) {
                return;
            }
            Pause.millis(200);
        }
        throw new AssertionError(NET + (present ? " never appeared" : " never went away") + ":\n" + routes(ns) + why.get());
    }

    private static void printUpdates(String who, OpenvpnProcess p) {
        p.log().lines().filter(l -> l.contains("PUSH_UPDATE") || l.contains("push-update"))
                .forEach(l -> System.out.println(who + ": " + l));
    }

    private static String routes(Netns ns) {
        return ns.exec(T, "ip", "-4", "route", "show").output();
    }

    private static String routeGet(Netns ns, String addr) {
        return ns.exec(T, "ip", "route", "get", addr).output();
    }

}
