package io.culvert.engine.server.route;

import static io.culvert.engine.server.route.TestPackets.arpRequest;
import static io.culvert.engine.server.route.TestPackets.ipv4Frame;
import static io.culvert.engine.server.route.TestPackets.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingTapTest {
    private static final InstanceId A = new InstanceId(1);
    private static final InstanceId B = new InstanceId(2);
    private static final InstanceId C = new InstanceId(3);
    private static final String MAC_A = "02:00:00:00:00:0a";
    private static final String MAC_B = "02:00:00:00:00:0b";
    private static final String MAC_C = "02:00:00:00:00:0c";
    private static final String MAC_SERVER = "02:00:00:00:00:01";
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";

    private final MacTable macs = new MacTable(2, 60_000);
    private final Forwarding c2c = network(true);

    private Forwarding network(boolean clientToClient) {
        Forwarding f = Forwarding.tap(clientToClient, macs);
        for (InstanceId id : List.of(A, B, C)) {
            f.attach(id);
        }
        return f;
    }

    private static Route from(Forwarding f, InstanceId id, byte[] frame, long now) {
        return f.fromInstance(id, frame, 0, frame.length, now);
    }

    private static Route fromDevice(Forwarding f, byte[] frame, long now) {
        return f.fromDevice(frame, 0, frame.length, now);
    }

    private void announce(Forwarding f) {
        from(f, A, arpRequest(MAC_A, "10.8.0.2", "10.8.0.1"), 0);
        from(f, B, arpRequest(MAC_B, "10.8.0.3", "10.8.0.1"), 0);
        from(f, C, arpRequest(MAC_C, "10.8.0.4", "10.8.0.1"), 0);
    }

    @Test
    void arpBroadcastFloodsToOtherClientsAndTheDeviceAndLearnsTheSource() {
        assertEquals(new Route.Flood(List.of(B, C), true), from(c2c, A, arpRequest(MAC_A, "10.8.0.2", "10.8.0.3"), 0));
        assertEquals(A, macs.lookup(mac(MAC_A), 0));
    }

    @Test
    void ipv4BroadcastAndMulticastFramesFlood() {
        announce(c2c);
        Route.Flood others = new Route.Flood(List.of(A, C), true);
        assertEquals(others, from(c2c, B, ipv4Frame(BROADCAST, MAC_B, "10.8.0.3", "10.8.0.255"), 1));
        assertEquals(others, from(c2c, B, ipv4Frame("01:00:5e:00:00:fb", MAC_B, "10.8.0.3", "224.0.0.251"), 1));
        assertEquals(others, from(c2c, B, ipv4Frame("33:33:00:00:00:01", MAC_B, "10.8.0.3", "10.8.0.9"), 1));
    }

    @Test
    void knownUnicastGoesToItsOwnerOnly() {
        announce(c2c);
        assertEquals(new Route.ToInstance(C), from(c2c, A, ipv4Frame(MAC_C, MAC_A, "10.8.0.2", "10.8.0.4"), 1));
        assertEquals(new Route.ToInstance(A), from(c2c, C, ipv4Frame(MAC_A, MAC_C, "10.8.0.4", "10.8.0.2"), 1));
    }

    @Test
    void unknownUnicastFloodsToOtherClientsAndTheDevice() {
        announce(c2c);
        assertEquals(new Route.Flood(List.of(B, C), true),
                from(c2c, A, ipv4Frame(MAC_SERVER, MAC_A, "10.8.0.2", "10.8.0.1"), 1));
    }

    @Test
    void unicastToAMacThatAgedOutFloods() {
        announce(c2c);
        from(c2c, A, ipv4Frame(MAC_B, MAC_A, "10.8.0.2", "10.8.0.3"), 60_001);
        assertEquals(new Route.Flood(List.of(B, C), true),
                from(c2c, A, ipv4Frame(MAC_B, MAC_A, "10.8.0.2", "10.8.0.3"), 60_001));
    }

    @Test
    void frameToTheSendersOwnMacIsDropped() {
        announce(c2c);
        assertEquals(new Route.Drop(Route.Cause.TO_SELF), from(c2c, A, ipv4Frame(MAC_A, MAC_A, "10.8.0.2", "10.8.0.2"), 1));
    }

    @Test
    void withoutClientToClientEveryFrameGoesToTheDeviceButSourcesAreStillLearned() {
        Forwarding f = network(false);
        assertSame(Route.TO_DEVICE, from(f, A, arpRequest(MAC_A, "10.8.0.2", "10.8.0.3"), 0));
        from(f, B, arpRequest(MAC_B, "10.8.0.3", "10.8.0.2"), 0);
        assertSame(Route.TO_DEVICE, from(f, A, ipv4Frame(MAC_B, MAC_A, "10.8.0.2", "10.8.0.3"), 0));
        assertEquals(new Route.ToInstance(B), fromDevice(f, ipv4Frame(MAC_B, MAC_SERVER, "10.8.0.2", "10.8.0.3"), 0));
    }

    @Test
    void quotaExhaustionDropsTheFrameAndLearnsNothing() {
        assertEquals(new Route.Flood(List.of(B, C), true), from(c2c, A, arpRequest("02:00:00:00:01:01", "10.8.0.2", "10.8.0.1"), 0));
        from(c2c, A, arpRequest("02:00:00:00:01:02", "10.8.0.2", "10.8.0.1"), 0);
        assertEquals(new Route.Drop(Route.Cause.QUOTA_EXCEEDED),
                from(c2c, A, arpRequest("02:00:00:00:01:03", "10.8.0.2", "10.8.0.1"), 0));
        assertNull(macs.lookup(mac("02:00:00:00:01:03"), 0));
    }

    /** ADR 0050: OpenVPN moves the MAC to B; Culvert keeps it with A while A is connected and using it. */
    @Test
    void aClientClaimingAMacAnotherConnectedClientUsesIsDroppedAndTheOwnerKeepsIt() {
        announce(c2c);
        assertEquals(new Route.Drop(Route.Cause.BAD_SOURCE), from(c2c, B, arpRequest(MAC_A, "10.8.0.2", "10.8.0.1"), 1));
        assertEquals(new Route.Drop(Route.Cause.BAD_SOURCE), from(c2c, B, ipv4Frame(MAC_C, MAC_A, "10.8.0.2", "10.8.0.4"), 1));
        assertEquals(A, macs.lookup(mac(MAC_A), 1));
        assertEquals(new Route.ToInstance(A), from(c2c, C, ipv4Frame(MAC_A, MAC_C, "10.8.0.4", "10.8.0.2"), 2));
    }

    @Test
    void aMacMovesToAnotherClientOnceItsOwnerLeftOrWentQuiet() {
        announce(c2c);
        c2c.detach(A);
        assertEquals(new Route.Flood(List.of(C), true), from(c2c, B, arpRequest(MAC_A, "10.8.0.2", "10.8.0.1"), 1));
        assertEquals(B, macs.lookup(mac(MAC_A), 1));
        // C's MAC unseen for longer than the age limit: B may take it
        assertEquals(new Route.Flood(List.of(C), true), from(c2c, B, arpRequest(MAC_C, "10.8.0.4", "10.8.0.1"), 60_002));
        assertEquals(B, macs.lookup(mac(MAC_C), 60_002));
    }

    @Test
    void groupOrZeroSourceMacIsDropped() {
        Route.Drop bad = new Route.Drop(Route.Cause.BAD_SOURCE);
        assertEquals(bad, from(c2c, A, ipv4Frame(MAC_B, BROADCAST, "10.8.0.2", "10.8.0.3"), 0));
        assertEquals(bad, from(c2c, A, ipv4Frame(MAC_B, "01:00:5e:00:00:01", "10.8.0.2", "10.8.0.3"), 0));
        assertEquals(bad, from(c2c, A, ipv4Frame(MAC_B, "00:00:00:00:00:00", "10.8.0.2", "10.8.0.3"), 0));
        assertEquals(0, macs.size());
    }

    @Test
    void truncatedFrameIsDropped() {
        Route.Drop malformed = new Route.Drop(Route.Cause.MALFORMED);
        byte[] frame = arpRequest(MAC_A, "10.8.0.2", "10.8.0.1");
        assertEquals(malformed, c2c.fromInstance(A, frame, 0, 13, 0));
        assertEquals(malformed, c2c.fromDevice(frame, 0, 13, 0));
        assertEquals(0, macs.size());
    }

    @Test
    void deviceBroadcastFloodsToEveryClient() {
        assertEquals(new Route.Flood(List.of(A, B, C), false), fromDevice(c2c, arpRequest(MAC_SERVER, "10.8.0.1", "10.8.0.2"), 0));
    }

    @Test
    void deviceUnicastGoesToTheLearnedOwnerAndUnknownFloods() {
        announce(c2c);
        assertEquals(new Route.ToInstance(B), fromDevice(c2c, ipv4Frame(MAC_B, MAC_SERVER, "10.8.0.1", "10.8.0.3"), 1));
        assertEquals(new Route.Flood(List.of(A, B, C), false),
                fromDevice(c2c, ipv4Frame("02:00:00:00:99:99", MAC_SERVER, "10.8.0.1", "10.8.0.3"), 1));
    }

    @Test
    void deviceSourceMacsAreLearnedSoClientUnicastToTheServerGoesToTheDeviceOnly() {
        announce(c2c);
        fromDevice(c2c, arpRequest(MAC_SERVER, "10.8.0.1", "10.8.0.2"), 1);
        assertEquals(Endpoint.SERVER, macs.lookup(mac(MAC_SERVER), 1));
        assertEquals(List.of(MacAddress.parse(MAC_SERVER)), macs.macsOf(Endpoint.SERVER));
        assertSame(Route.TO_DEVICE, from(c2c, A, ipv4Frame(MAC_SERVER, MAC_A, "10.8.0.2", "10.8.0.1"), 2));
    }

    @Test
    void deviceFrameToADeviceSideMacIsDropped() {
        fromDevice(c2c, arpRequest(MAC_SERVER, "10.8.0.1", "10.8.0.2"), 0);
        assertEquals(new Route.Drop(Route.Cause.TO_SELF),
                fromDevice(c2c, ipv4Frame(MAC_SERVER, "02:00:00:00:00:02", "10.8.0.9", "10.8.0.1"), 1));
    }

    @Test
    void deviceFramesAreForwardedEvenWhenTheDeviceQuotaIsFull() {
        MacTable tiny = new MacTable(2, 1, 60_000);
        Forwarding f = Forwarding.tap(true, tiny);
        f.attach(A);
        from(f, A, arpRequest(MAC_A, "10.8.0.2", "10.8.0.1"), 0);
        fromDevice(f, arpRequest(MAC_SERVER, "10.8.0.1", "10.8.0.2"), 0);
        assertEquals(new Route.ToInstance(A), fromDevice(f, ipv4Frame(MAC_A, "02:00:00:00:00:02", "10.8.0.9", "10.8.0.2"), 0));
        assertNull(tiny.lookup(mac("02:00:00:00:00:02"), 0));
    }

    @Test
    void aMacMovesBetweenTheDeviceAndAClient() {
        fromDevice(c2c, arpRequest(MAC_B, "10.8.0.3", "10.8.0.1"), 0);
        assertEquals(Endpoint.SERVER, macs.lookup(mac(MAC_B), 0));
        from(c2c, B, arpRequest(MAC_B, "10.8.0.3", "10.8.0.1"), 1);
        assertEquals(new Route.ToInstance(B), fromDevice(c2c, ipv4Frame(MAC_B, MAC_SERVER, "10.8.0.1", "10.8.0.3"), 2));
    }

    @Test
    void detachForgetsTheInstancesMacs() {
        announce(c2c);
        c2c.detach(B);
        assertNull(macs.lookup(mac(MAC_B), 1));
        assertEquals(new Route.Flood(List.of(A, C), false),
                fromDevice(c2c, ipv4Frame(MAC_B, MAC_SERVER, "10.8.0.1", "10.8.0.3"), 1));
    }
}
