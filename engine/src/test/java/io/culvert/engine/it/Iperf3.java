package io.culvert.engine.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One timed iperf3 TCP run through the tunnel: a one-shot {@code iperf3 -s} bound to the server's tunnel address in
 * the server namespace, {@code iperf3 -c -J} in the client namespace. Stateless.
 */
public final class Iperf3 {
    private static final Pattern SENT = Pattern.compile("\"sum_sent\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"");

    /**
     * Outcome of {@link #run}; immutable.
     *
     * @param sentMbit Mbit/s (10^6 bit) the sender reported, NaN when iperf3 gave no result
     * @param receivedMbit Mbit/s the receiver reported, NaN when iperf3 gave no result
     * @param output iperf3's JSON (or whatever it printed), for failure messages
     * @param serverLog what the iperf3 server printed (per-second intervals), for failure messages
     */
    public record Result(double sentMbit, double receivedMbit, String output, String serverLog) {

        /** True when iperf3 reported a received rate. */
        public boolean ok() {
            return !Double.isNaN(receivedMbit);
        }

        /** iperf3's own error message, or the first lines of its output when it gave none. */
        public String problem() {
            Matcher m = ERROR.matcher(output);
            return m.find() ? m.group(1) : String.join(" ", output.lines().limit(5).toList());
        }
    }

    private Iperf3() { }

    /**
     * Runs iperf3 for {@code seconds} from {@code cli} to {@link Scenario#SERVER_TUNNEL_ADDR} in {@code srv}
     * (server→client with {@code reverse}); the server's log goes to {@code dir}. Gives up {@code seconds + 30}
     * seconds after starting the client.
     */
    public static Result run(Netns srv, Netns cli, Path dir, int seconds, boolean reverse) {
        Path log = dir.resolve("iperf3-server-" + System.nanoTime() + ".log");
        try (OpenvpnProcess iperfServer = OpenvpnProcess.command(srv, dir, log, "iperf3", "-s", "-1", "--forceflush", "-B",
                Scenario.SERVER_TUNNEL_ADDR)) {
            iperfServer.awaitLine("Server listening", Duration.ofSeconds(10));
            List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", Scenario.SERVER_TUNNEL_ADDR, "-t", Integer.toString(seconds),
                    "--connect-timeout", "10000", "-J"));
            if (reverse) {
                cmd.add("-R");
            }
            String json = cli.exec(Duration.ofSeconds(seconds + 30L), cmd.toArray(String[]::new)).output();
            return new Result(mbit(SENT, json), mbit(RECEIVED, json), json, iperfServer.logTail(20));
        }
    }

    private static double mbit(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) / 1e6 : Double.NaN;
    }
}
