package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.NginxSnippet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client claiming another client's MAC in TAP mode over WebSocket (issue 14, ADR 0050). {@code ./culvert server} in
 * TAP mode with its WebSocket endpoint behind two real nginx ({@link NginxRig}, the admin guide's location block), one
 * per client namespace. Both clients are {@code ./culvert client} with only the WebSocket remote. The attacker (client
 * 2) writes 10,000 broadcast ARP frames whose source is the victim's MAC into its TAP device (so its client sends them
 * through nginx to the server) while the victim pings the server every 0.2 s: no ping is lost, the server's status
 * still gives the MAC to the victim, every claim shows in the management {@code status} as
 * {@code GLOBAL_STATS,culvert_dropped_BAD_SOURCE,N}, and the server and both clients stay up.
 */
@NetnsTest
@CulvertFeature
class WebSocketTapSpoofInteropTest {
    private static final Scenario TAP = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tap");
    private static final Duration T = Duration.ofSeconds(30);
    private static final int FRAMES = 10_000;
    /** Frames of its own the attacker's TAP device may hand its client meanwhile (ARP). */
    private static final int OWN = 10;

    @Test
    void aClientClaimingAnothersMacOverWebSocketIsDroppedAndCountedAndTheVictimKeepsPassingTraffic(@TempDir Path dir)
            throws Exception {
        NginxRig.requireNginx();
        Path mgmt = dir.resolve("mgmt.sock");
        try (MultiClientRig rig = MultiClientRig.create(TAP, dir, 2, "culvert-websocket 127.0.0.1:8081 /vpn",
                "culvert-websocket-trusted-proxy 127.0.0.1", "management " + mgmt + " unix")) {
            // no IPv6 on the TAP devices: the attacker's client then sends nothing of its own while it spoofs
            rig.sysctlEverywhere("net.ipv6.conf.all.disable_ipv6", "1");
            rig.sysctlEverywhere("net.ipv6.conf.default.disable_ipv6", "1");
            try (NginxRig victimFront = NginxRig.start(rig.serverNs(), dir, rig.pki(), rig.link(1).addrA(), "/vpn",
                        "127.0.0.1", 8081);
                NginxRig attackerFront = NginxRig.start(rig.serverNs(), Files.createDirectories(dir.resolve("b")),
                        rig.pki(), rig.link(2).addrA(), 8443, "/vpn", NginxSnippet.location("/vpn", "127.0.0.1", 8081),
                        "", "")) {
                run(rig, mgmt, victimFront, attackerFront, dir);
            }
        }
    }

    private static void run(MultiClientRig rig, Path mgmt, NginxRig victimFront, NginxRig attackerFront, Path dir)
            throws Exception {
        rig.webSocketProfile(1, victimFront.url());
        rig.webSocketProfile(2, attackerFront.url());
        rig.startCulvertServer();
        OpenvpnProcess victim = rig.startCulvertClient(1);
        OpenvpnProcess attacker = rig.startCulvertClient(2);
        PingResult first = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
        assertTrue(first.noLoss(), () -> first.output() + "\n" + victim.logTail(30) + "\n" + rig.serverLogTail(30));
        PingResult firstAttacker = rig.clientNs(2).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
        assertTrue(firstAttacker.noLoss(), () -> firstAttacker.output() + "\n" + attacker.logTail(30));
        String victimTap = tapDevice(rig.clientNs(1));
        String victimMac = mac(rig.clientNs(1), victimTap);
        String victimIp = rig.tunnelAddr(1);
        assertEquals(rig.commonName(1), macOwner(rig.awaitFreshStatus().text(), victimMac));

        // the claim: broadcast ARP from the victim's MAC and address, written into the attacker's TAP device
        Path spoof = dir.resolve("spoof.py");
        Files.writeString(spoof, SPOOF);
        String attackerTap = tapDevice(rig.clientNs(2));
        DeviceCounters tapBefore = DeviceCounters.read(rig.clientNs(2), attackerTap);
        Process claims = rig.clientNs(2).spawn(dir.resolve("spoof.log"), "/usr/bin/python3", spoof.toString(),
                attackerTap, victimMac, victimIp, Scenario.SERVER_TUNNEL_ADDR, String.valueOf(FRAMES));
        PingResult during = rig.clientNs(1).exec(Duration.ofSeconds(120), "ping", "-i", "0.2", "-W", "2", "-c", "40",
                Scenario.SERVER_TUNNEL_ADDR).output().transform(o -> PingResult.parse(o, 40));
        assertTrue(claims.waitFor(120, TimeUnit.SECONDS), "the spoofer did not finish");
        String spoofLog = Files.readString(dir.resolve("spoof.log"));
        assertEquals(0, claims.exitValue(), spoofLog);
        assertTrue(spoofLog.contains("sent=" + FRAMES), spoofLog);
        assertTrue(during.noLoss(), () -> "the victim's pings while its MAC was claimed:\n" + during.output() + "\n"
                + victim.logTail(20));

        // what the attacker's client was handed by its TAP device: the spoofed frames (the tun driver may drop some
        // when the client reads too slowly) and a few of its own (an ARP); each spoofed one must reach the server and
        // be counted there
        long handed = DeviceCounters.read(rig.clientNs(2), attackerTap).minus(tapBefore).txPackets();
        assertTrue(handed >= FRAMES / 2 && handed <= FRAMES + OWN, () -> handed + " frames handed to the attacker's client");
        Map<String, Long> counted = awaitCounter(mgmt, "culvert_dropped_BAD_SOURCE", Math.min(handed, FRAMES) - OWN);
        assertTrue(counted.get("culvert_dropped_BAD_SOURCE") <= handed, counted::toString);
        String status = rig.awaitFreshStatus().text();
        assertEquals(rig.commonName(1), macOwner(status, victimMac), status);
        PingResult after = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
        assertTrue(after.noLoss(), () -> after.output() + "\n" + rig.serverLogTail(30));
        PingResult attackerAfter = rig.clientNs(2).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
        assertTrue(attackerAfter.noLoss(), () -> "the attacker's own MAC still works:\n" + attackerAfter.output());
        assertTrue(rig.server().isAlive() && victim.isAlive() && attacker.isAlive(), () -> rig.serverLogTail(30));
        System.out.printf("TAP over WebSocket: %d frames claiming the victim's MAC %s, %d handed to the attacker's"
                + " client; the victim's %d pings every 0.2 s all answered; counters %s%n", FRAMES, victimMac, handed,
                during.transmitted(), counted);
    }

    /** Waits until the management {@code status 2} counter {@code name} reaches {@code atLeast}; returns all counters. */
    private static Map<String, Long> awaitCounter(Path mgmt, String name, long atLeast) throws InterruptedException {
        Map<String, Long> counted = Map.of();
        for (int i = 0; i < 300; i++) {
            counted = ManagementClient.globalStats(mgmt, T);
            if (counted.getOrDefault(name, 0L) >= atLeast) {
                return counted;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " below " + atLeast + ": " + counted);
    }

    /** The common name the status file's routing table gives {@code mac} to, or null. */
    private static String macOwner(String status, String mac) {
        return status.lines().filter(l -> l.toLowerCase().startsWith(mac.toLowerCase() + "@0,")).findFirst()
                .map(l -> l.split(",")[1]).orElse(null);
    }


    /** The TAP device holding a 10.77.0.x address in {@code ns}. */
    private static String tapDevice(Netns ns) {
        Matcher m = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet 10\\.77\\.", Pattern.MULTILINE)
                .matcher(ns.exec(T, "ip", "-o", "-4", "addr", "show").orThrow("ip addr").output());
        if (!m.find()) {
            throw new AssertionError("no 10.77.0.x device in " + ns);
        }
        return m.group(1);
    }

    private static String mac(Netns ns, String device) {
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})")
                .matcher(ns.exec(T, "ip", "link", "show", "dev", device).orThrow("ip link").output());
        if (!m.find()) {
            throw new AssertionError("no MAC on " + device);
        }
        return m.group(1);
    }

    /** Writes FRAMES broadcast ARP requests from the victim's MAC and address into the TAP device, 2,000 a second. */
    private static final String SPOOF = """
            import socket, sys, time
            dev, mac, ip, target, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
            src = bytes.fromhex(mac.replace(':', ''))
            arp = (b'\\x00\\x01\\x08\\x00\\x06\\x04\\x00\\x01' + src + socket.inet_aton(ip) + b'\\x00' * 6
                   + socket.inet_aton(target))
            frame = b'\\xff' * 6 + src + b'\\x08\\x06' + arp
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((dev, 0))
            sent = 0
            for i in range(n):
                s.send(frame)
                sent += 1
                if i % 20 == 19:
                    time.sleep(0.01)
            print('sent=%d' % sent)
            """;
}
