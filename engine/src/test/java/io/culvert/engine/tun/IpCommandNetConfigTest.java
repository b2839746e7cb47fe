package io.culvert.engine.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class IpCommandNetConfigTest {

    /** Records every argv and answers with whatever the test scripted (success with no output by default). */
    private static final class RecordingRunner implements CommandRunner {
        final List<List<String>> calls = new ArrayList<>();
        Function<List<String>, Result> answer = argv -> Result.ok("");

        @Override
        public Result run(List<String> argv) {
            calls.add(argv);
            return answer.apply(argv);
        }

        List<String> joined() {
            return calls.stream().map(argv -> String.join(" ", argv)).toList();
        }
    }

    private final RecordingRunner runner = new RecordingRunner();
    private final IpCommandNetConfig config = new IpCommandNetConfig(runner, null);

    @Test
    void buildsExactArgumentVectors() throws IOException {
        config.setLinkUp("tun0", 1500);
        config.addAddress("tun0", "10.8.0.2/24");
        config.addPeerAddress("tun0", "10.8.0.6", "10.8.0.5");
        config.addRoute("192.0.2.0/24", "10.8.0.1", null, -1);
        config.addRoute("0.0.0.0/1", null, "tun0", 5);
        config.addAddress6("tun0", "2001:db8::2/64");
        config.addRoute6("2000::/3", "2001:db8::1", "tun0", 100);

        assertEquals(List.of(
                List.of("ip", "link", "set", "dev", "tun0", "mtu", "1500", "up"),
                List.of("ip", "addr", "add", "10.8.0.2/24", "dev", "tun0"),
                List.of("ip", "addr", "add", "10.8.0.6", "peer", "10.8.0.5", "dev", "tun0"),
                List.of("ip", "route", "add", "192.0.2.0/24", "via", "10.8.0.1"),
                List.of("ip", "route", "add", "0.0.0.0/1", "dev", "tun0", "metric", "5"),
                List.of("ip", "-6", "addr", "add", "2001:db8::2/64", "dev", "tun0"),
                List.of("ip", "-6", "route", "add", "2000::/3", "via", "2001:db8::1", "dev", "tun0", "metric", "100")),
                runner.calls);
    }

    @Test
    void limitsSuperSegmentsAndShrugsWhenIpCannot() {
        config.limitSuperSegments("tun0", 32);
        runner.answer = argv -> new CommandRunner.Result(2, "", "Error: unknown attribute");
        config.limitSuperSegments("tun1", 32); // an old kernel or ip: logged, not thrown

        assertEquals(List.of("ip link set dev tun0 gso_max_segs 32", "ip link set dev tun1 gso_max_segs 32"), runner.joined());
        assertThrows(IllegalArgumentException.class, () -> config.limitSuperSegments("tun0", 0));
    }

    @Test
    void undoesEverythingAddedInReverseOrder() throws IOException {
        config.setLinkUp("tun0", 0);
        config.addPeerAddress("tun0", "10.8.0.6", "10.8.0.5");
        config.addRoute("10.9.0.0/16", "10.8.0.5", "tun0", -1);
        config.addAddress6("tun0", "fd00::2/64");
        runner.calls.clear();

        config.undoAll();
        config.undoAll();

        assertEquals(List.of(
                "ip -6 addr del fd00::2/64 dev tun0",
                "ip route del 10.9.0.0/16 via 10.8.0.5 dev tun0",
                "ip addr del 10.8.0.6 peer 10.8.0.5 dev tun0"), runner.joined());
    }

    @Test
    void undoContinuesPastFailures() throws IOException {
        config.addAddress("tun0", "10.8.0.2/24");
        config.addRoute("10.9.0.0/16", null, "tun0", -1);
        runner.calls.clear();
        runner.answer = argv -> argv.contains("route")
                ? new CommandRunner.Result(2, "", "RTNETLINK answers: No such process") : CommandRunner.Result.ok("");

        config.undoAll();

        assertEquals(List.of("ip route del 10.9.0.0/16 dev tun0", "ip addr del 10.8.0.2/24 dev tun0"), runner.joined());
    }

    @Test
    void failedAddReportsStderrAndRecordsNoUndo() throws IOException {
        runner.answer = argv -> new CommandRunner.Result(2, "", "RTNETLINK answers: File exists\n");

        IOException e = assertThrows(IOException.class, () -> config.addRoute("10.9.0.0/16", "10.8.0.1", null, -1));

        assertEquals("ip route add 10.9.0.0/16 via 10.8.0.1 failed (exit 2): RTNETLINK answers: File exists", e.getMessage());
        runner.calls.clear();
        config.undoAll();
        assertTrue(runner.calls.isEmpty());
    }

    @Test
    void runsInsideNamespaceWhenGiven() throws IOException {
        IpCommandNetConfig inNs = new IpCommandNetConfig(runner, "culvert-test");

        inNs.addAddress("tun0", "10.8.0.2/24");
        inNs.undoAll();

        assertEquals(List.of("ip -n culvert-test addr add 10.8.0.2/24 dev tun0",
                "ip -n culvert-test addr del 10.8.0.2/24 dev tun0"), runner.joined());
    }

    @Test
    void rejectsValuesThatCouldPassAsOptions() {
        assertThrows(IllegalArgumentException.class, () -> config.addAddress("-batch", "10.8.0.2/24"));
        assertThrows(IllegalArgumentException.class, () -> config.addAddress("tun0", "dev"));
        assertThrows(IllegalArgumentException.class, () -> config.addRoute("10.0.0.0/8", "-force", null, -1));
        assertThrows(IllegalArgumentException.class, () -> config.addRoute("10.0.0.0/8", null, null, -1));
        assertThrows(IllegalArgumentException.class, () -> config.addRoute6("2000::/3 table 5", null, "tun0", -1));
        assertTrue(runner.calls.isEmpty());
    }

    @Test
    void routeToParsesGatewayAndDevice() throws IOException {
        runner.answer = argv -> CommandRunner.Result.ok(
                "198.51.100.7 via 192.168.1.1 dev wlan0 src 192.168.1.23 uid 0 \n    cache \n");

        Optional<NextHop> hop = config.routeTo("198.51.100.7");

        assertEquals(List.of("ip route get 198.51.100.7"), runner.joined());
        assertEquals(Optional.of(new NextHop(Optional.of("192.168.1.1"), "wlan0")), hop);
    }

    @Test
    void routeToOnLinkDestinationHasNoGateway() throws IOException {
        runner.answer = argv -> CommandRunner.Result.ok("10.0.0.9 dev eth0 src 10.0.0.2 uid 0 \n    cache \n");

        assertEquals(Optional.of(new NextHop(Optional.empty(), "eth0")), config.routeTo("10.0.0.9"));
    }

    @Test
    void routeToUnreachableIsEmpty() throws IOException {
        runner.answer = argv -> new CommandRunner.Result(2, "", "RTNETLINK answers: Network is unreachable\n");

        assertEquals(Optional.empty(), config.routeTo("203.0.113.1"));
    }

    @Test
    void defaultGatewayPicksLowestMetric() throws IOException {
        runner.answer = argv -> CommandRunner.Result.ok("""
                default via 192.168.1.1 dev wlan0 proto dhcp src 192.168.1.23 metric 600
                default via 10.0.0.1 dev eth0 proto dhcp src 10.0.0.2 metric 100
                """);

        Optional<NextHop> gateway = config.defaultGateway();

        assertEquals(List.of("ip -4 route show default"), runner.joined());
        assertEquals(Optional.of(new NextHop(Optional.of("10.0.0.1"), "eth0")), gateway);
    }

    @Test
    void noDefaultRouteIsEmpty() throws IOException {
        assertEquals(Optional.empty(), config.defaultGateway());
    }

    @Test
    void parsesIpv6NextHopWithFamilyKeyword() {
        assertEquals(Optional.of(new NextHop(Optional.of("fe80::1"), "eth0")),
                NextHop.parse("2001:db8::7 via inet6 fe80::1 dev eth0 proto ra metric 1024"));
    }
}
