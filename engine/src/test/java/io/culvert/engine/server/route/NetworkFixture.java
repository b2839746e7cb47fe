package io.culvert.engine.server.route;

import static io.culvert.engine.server.route.TestPackets.arpRequest;
import static io.culvert.engine.server.route.TestPackets.ip;
import static io.culvert.engine.server.route.TestPackets.ipv4;
import static io.culvert.engine.server.route.TestPackets.ipv4Frame;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/** A warmed-up server network of N clients, with a mix of packets, for the allocation test and the benchmark. */
final class NetworkFixture {
    final Forwarding forwarding;
    final FlowCounters flows = new FlowCounters();
    final List<InstanceId> ids = new ArrayList<>();
    final List<byte[]> fromClient = new ArrayList<>();
    final List<InstanceId> senders = new ArrayList<>();
    final List<byte[]> fromDevice = new ArrayList<>();

    private NetworkFixture(Forwarding forwarding) {
        this.forwarding = forwarding;
    }

    /** TUN, topology subnet 10.8.0.0/16, client i at 10.8.(i/250).(i%250+2). */
    static NetworkFixture tun(int clients) {
        VirtualRouter router = new VirtualRouter();
        NetworkFixture n = new NetworkFixture(Forwarding.tun(true, router, (Inet4Address) ip("10.8.255.255")));
        for (int i = 0; i < clients; i++) {
            InstanceId id = n.add(i);
            router.learnAddress(id, ip(tunAddress(i)));
        }
        for (int i = 0; i < clients; i++) {
            String me = tunAddress(i);
            n.client(i, ipv4(me, tunAddress((i + 1) % clients)));
            n.client(i, ipv4(me, "10.8.0.1"));
            n.client(i, ipv4(me, "8.8.8.8"));
            n.fromDevice.add(ipv4("10.8.0.1", me));
        }
        n.client(0, ipv4(tunAddress(0), "224.0.0.251"));
        return n;
    }

    /** TAP with client-to-client; every client has announced its MAC. */
    static NetworkFixture tap(int clients) {
        NetworkFixture n = new NetworkFixture(Forwarding.tap(true, new MacTable()));
        for (int i = 0; i < clients; i++) {
            n.add(i);
        }
        for (int i = 0; i < clients; i++) {
            n.forwarding.fromInstance(n.ids.get(i), arpRequest(mac(i), "10.8.0.2", "10.8.0.1"), 0, 60, 0);
        }
        for (int i = 0; i < clients; i++) {
            n.client(i, ipv4Frame(mac((i + 1) % clients), mac(i), "10.8.0.2", "10.8.0.3"));
            n.client(i, ipv4Frame("02:00:00:ff:ff:01", mac(i), "10.8.0.2", "10.8.0.1"));
            n.fromDevice.add(ipv4Frame(mac(i), "02:00:00:ff:ff:01", "10.8.0.1", "10.8.0.2"));
        }
        return n;
    }

    /** Decides and counts every prepared packet once; returns a checksum so the work cannot be optimised away. */
    long runOnce(long now) {
        long sum = 0;
        for (int i = 0; i < fromClient.size(); i++) {
            byte[] p = fromClient.get(i);
            InstanceId from = senders.get(i);
            Route r = forwarding.fromInstance(from, p, 0, p.length, now);
            flows.account(from, r, p.length);
            sum += r instanceof Route.ToInstance t ? t.target().value() : 1;
        }
        for (byte[] p : fromDevice) {
            Route r = forwarding.fromDevice(p, 0, p.length, now);
            flows.account(Endpoint.SERVER, r, p.length);
            sum += r instanceof Route.ToInstance t ? t.target().value() : 1;
        }
        return sum;
    }

    int packetsPerRun() {
        return fromClient.size() + fromDevice.size();
    }

    private InstanceId add(int i) {
        InstanceId id = new InstanceId(i);
        ids.add(id);
        forwarding.attach(id);
        flows.register(id);
        return id;
    }

    private void client(int i, byte[] packet) {
        senders.add(ids.get(i));
        fromClient.add(packet);
    }

    private static String tunAddress(int i) {
        return "10.8." + (i / 250) + "." + (i % 250 + 2);
    }

    private static String mac(int i) {
        return String.format("02:00:00:00:%02x:%02x", i >>> 8, i & 0xff);
    }
}
